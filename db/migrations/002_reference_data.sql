-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 2: published reference data of Jiangmen and Guangdong (see DOMAIN.md).
-- Figures not found in a public source are marked example = 1.

INSERT INTO districts (name, name_en, kind, wage_area) VALUES
    ('蓬江区', 'Pengjiang District', 'district', 'jiangmen'),
    ('江海区', 'Jianghai District', 'district', 'jiangmen'),
    ('新会区', 'Xinhui District', 'district', 'jiangmen'),
    ('台山市', 'Taishan', 'city', 'jiangmen'),
    ('开平市', 'Kaiping', 'city', 'jiangmen'),
    ('鹤山市', 'Heshan', 'city', 'jiangmen'),
    ('恩平市', 'Enping', 'city', 'jiangmen');

-- Guangdong 2010 provincial indicators.
INSERT INTO education_levels (code, name_zh, name_en, rank, points, example) VALUES
    ('junior',   '初中',     'junior middle school',           1, 5,  0),
    ('senior',   '高中',     'senior high / secondary vocational', 2, 20, 0),
    ('college',  '大专',     'junior college',                 3, 60, 0),
    ('bachelor', '本科及以上', 'bachelor or above',            4, 80, 0);

INSERT INTO education_aliases (alias, code) VALUES
    ('初中', 'junior'),
    ('高中', 'senior'), ('中专', 'senior'), ('中职', 'senior'), ('技校', 'senior'),
    ('大专', 'college'), ('高职', 'college'),
    ('本科', 'bachelor'), ('本科及以上', 'bachelor'), ('硕士', 'bachelor'), ('研究生', 'bachelor'),
    ('博士', 'bachelor');

INSERT INTO skill_levels (code, name_zh, name_en, rank, points, example) VALUES
    ('junior',            '初级工',   'junior worker (level 5)',       1, 10, 0),
    ('intermediate',      '中级工',   'intermediate worker (level 4)', 2, 30, 0),
    ('senior',            '高级工',   'senior worker (level 3)',       3, 50, 0),
    ('technician',        '技师',     'technician (level 2)',          4, 60, 0),
    ('senior_technician', '高级技师', 'senior technician (level 1)',   5, 60, 1);

INSERT INTO points_rules (code, name_zh, name_en, unit, points_per_unit, cap, window_months, example) VALUES
    ('social_insurance', '社会保险', 'social insurance',       12,     1, 50,   NULL, 1),
    ('work_years',       '工作年限', 'years of work',          12,     2, 20,   NULL, 1),
    ('blood_donation',   '献血',     'blood donation',         1,      2, NULL, 60,   0),
    ('volunteer_hours',  '志愿服务', 'volunteer service',      50,     2, NULL, 60,   0),
    ('donation',         '慈善捐款', 'charitable donation',    100000, 2, NULL, 60,   0);

INSERT INTO policy_params (key, value, note, example) VALUES
    ('points_threshold',           60, 'points needed to apply for household registration', 0),
    ('hukou_work_months',          36, 'route 1: months of stable work in the town', 0),
    ('hukou_insurance_months',     36, 'route 1: months of social insurance', 1),
    ('hukou_backbone_min_rank',     2, 'route 2: lowest skill rank for enterprise backbones (中级工)', 0),
    ('hukou_talent_min_rank',       4, 'route 2: lowest skill rank that qualifies alone (技师)', 0),
    ('enroll_permit_months',       12, 'school places: months of continuous residence permit', 0),
    ('enroll_grade1_age',           6, 'school places: full years of age on the round''s age date', 0),
    ('enroll_grade7_from_grade',    6, 'school places: grade the child is in now to enter grade 7', 0);

INSERT INTO agencies (code, name_zh, name_en, signature) VALUES
    ('hrss',    '市人力资源社会保障局', 'Human Resources and Social Security Bureau', '【江门人社】'),
    ('edu',     '市教育局',             'Education Bureau',                           '【江门教育】'),
    ('housing', '市住房城乡建设局',     'Housing and Urban-Rural Development Bureau', '【江门住建】'),
    ('police',  '市公安局',             'Public Security Bureau',                     '【江门公安】'),
    ('union',   '市总工会',             'Federation of Trade Unions',                 '【江门工会】');

-- Guangdong monthly minimum wage, category 3 (Jiangmen, all districts and cities).
INSERT INTO min_wages (area, effective_from, monthly_fen, hourly_fen, source) VALUES
    ('jiangmen', '2011-03-01',  95000,  930, '广东省最低工资标准 2011 (三类)'),
    ('jiangmen', '2013-05-01', 113000, 1110, '粤府函〔2013〕27号 (三类)'),
    ('jiangmen', '2015-05-01', 135000, 1330, '广东省最低工资标准 2015 (三类)');

INSERT INTO wage_guidelines (year, base_bp, upper_bp, lower_bp, source) VALUES
    (2009, 700, 1200, 0,   '广东省企业工资指导线 2009'),
    (2014, 900, 1400, 300, '广东省企业工资指导线 2014');

-- 2023 Guangdong scale, used as example amounts; 12-month claim window.
INSERT INTO subsidy_standards (level, amount_fen, claim_months, example) VALUES
    ('junior',       100000, 12, 1),
    ('intermediate', 150000, 12, 1),
    ('senior',       200000, 12, 1);
