-- SPDX-License-Identifier: GPL-3.0-or-later
-- Migration 1: the foundation. Reference data (districts, levels, rules, wages,
-- subsidies, schools, agencies) and worker records. Every rule is data, editable by
-- agencies through CSV import; nothing here is a constant in C.
-- Money is stored in fen (1/100 yuan); percentages in basis points (1% = 100).
-- Dates are 'YYYY-MM-DD' text. Rows whose figures were not found in a public source
-- carry example = 1 and are labelled as examples wherever they are shown.

CREATE TABLE districts (
    name        TEXT PRIMARY KEY,              -- 蓬江区, 台山市 ...
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('district', 'city')),
    wage_area   TEXT NOT NULL                  -- key into min_wages (Jiangmen: category 3)
) WITHOUT ROWID;

CREATE TABLE education_levels (
    code        TEXT PRIMARY KEY,              -- junior, senior, college, bachelor
    name_zh     TEXT NOT NULL UNIQUE,          -- 初中, 高中/中专/中职, 大专, 本科及以上
    name_en     TEXT NOT NULL,
    rank        INTEGER NOT NULL UNIQUE,
    points      INTEGER NOT NULL CHECK (points >= 0),
    example     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Other Chinese names accepted for an education level on import (中专 -> senior).
CREATE TABLE education_aliases (
    alias       TEXT PRIMARY KEY,
    code        TEXT NOT NULL REFERENCES education_levels(code)
) WITHOUT ROWID;

CREATE TABLE skill_levels (
    code        TEXT PRIMARY KEY,              -- junior, intermediate, senior, technician, senior_technician
    name_zh     TEXT NOT NULL UNIQUE,          -- 初级工 ... 高级技师
    name_en     TEXT NOT NULL,
    rank        INTEGER NOT NULL UNIQUE,       -- 1 = lowest
    points      INTEGER NOT NULL CHECK (points >= 0),
    example     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Per-quantity points rules. points = min(cap, floor(quantity / unit) * points_per_unit),
-- quantity summed over the window (months back from today) when window_months is set.
CREATE TABLE points_rules (
    code            TEXT PRIMARY KEY,          -- social_insurance, work_years, blood_donation, volunteer_hours, donation
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    unit            INTEGER NOT NULL CHECK (unit > 0),
    points_per_unit INTEGER NOT NULL,
    cap             INTEGER,                   -- NULL: no cap
    window_months   INTEGER,                   -- NULL: whole record
    example         INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Named policy parameters (threshold 60, 36 months for registration route 1, ...).
CREATE TABLE policy_params (
    key         TEXT PRIMARY KEY,
    value       INTEGER NOT NULL,
    note        TEXT NOT NULL,
    example     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE occupations (
    code        TEXT PRIMARY KEY,              -- occupation code (example codes in the demo)
    name_zh     TEXT NOT NULL UNIQUE,
    name_en     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE agencies (
    code        TEXT PRIMARY KEY,              -- hrss, edu, housing, police, union
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    signature   TEXT NOT NULL UNIQUE           -- 【江门人社】
) WITHOUT ROWID;

CREATE TABLE workers (
    id                      INTEGER PRIMARY KEY,
    msisdn                  TEXT NOT NULL UNIQUE,   -- international form without '+'
    id_number               TEXT NOT NULL UNIQUE,   -- GB 11643, 18 characters
    name                    TEXT NOT NULL,
    district                TEXT NOT NULL REFERENCES districts(name),
    employer                TEXT NOT NULL DEFAULT '',
    education               TEXT REFERENCES education_levels(code),  -- NULL: below 初中 or unknown
    residence_permit_since  TEXT,                   -- Guangdong residence permit in Jiangmen; NULL: none
    stable_residence        INTEGER NOT NULL DEFAULT 0 CHECK (stable_residence IN (0, 1)),
    enterprise_backbone     INTEGER NOT NULL DEFAULT 0 CHECK (enterprise_backbone IN (0, 1)),
    insurance_months        INTEGER NOT NULL DEFAULT 0 CHECK (insurance_months >= 0),
    work_months             INTEGER NOT NULL DEFAULT 0 CHECK (work_months >= 0),
    language                TEXT NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
    opted_out               INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
    opted_out_at            TEXT,
    created_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX workers_district ON workers(district);
CREATE INDEX workers_employer ON workers(employer);

CREATE TABLE certificates (
    id                  INTEGER PRIMARY KEY,
    worker_id           INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
    occupation          TEXT NOT NULL REFERENCES occupations(code),
    level               TEXT NOT NULL REFERENCES skill_levels(code),
    issued_on           TEXT NOT NULL,
    subsidy_status      TEXT NOT NULL DEFAULT 'unclaimed'
                        CHECK (subsidy_status IN ('unclaimed', 'paid')),
    subsidy_paid_fen    INTEGER NOT NULL DEFAULT 0 CHECK (subsidy_paid_fen >= 0),
    subsidy_paid_on     TEXT,
    UNIQUE (worker_id, occupation, level)
);
CREATE INDEX certificates_level ON certificates(level, occupation);

CREATE TABLE children (
    id              INTEGER PRIMARY KEY,
    worker_id       INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    current_grade   INTEGER CHECK (current_grade BETWEEN 0 AND 12),  -- NULL or 0: not at school
    UNIQUE (worker_id, name, birth_date)
);
CREATE INDEX children_worker ON children(worker_id);
CREATE INDEX children_birth ON children(birth_date);

-- Social service in the points scheme: kind is a points_rules code; quantity is a count,
-- hours, or fen donated.
CREATE TABLE service_records (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL REFERENCES points_rules(code),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    on_date     TEXT NOT NULL
);
CREATE INDEX service_records_worker ON service_records(worker_id, kind, on_date);

CREATE TABLE deductions (
    id          INTEGER PRIMARY KEY,
    worker_id   INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
    points      INTEGER NOT NULL CHECK (points < 0),
    reason      TEXT NOT NULL,
    agency      TEXT REFERENCES agencies(code),
    on_date     TEXT NOT NULL
);
CREATE INDEX deductions_worker ON deductions(worker_id);

CREATE TABLE schools (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    district    TEXT NOT NULL REFERENCES districts(name),
    level       TEXT NOT NULL CHECK (level IN ('primary', 'junior')),  -- grade 1 / grade 7 entry
    example     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX schools_district ON schools(district, level);

-- One row per enrollment round (entry year): age reference date, application window.
CREATE TABLE enrollment_rounds (
    year            INTEGER PRIMARY KEY,
    age_on          TEXT NOT NULL,          -- '2027-08-31': age is counted on this date
    apply_from      TEXT,
    apply_until     TEXT
);

-- Quota and cut-off of a school in a round; the cut-off is known after the round.
CREATE TABLE school_rounds (
    school      TEXT NOT NULL REFERENCES schools(code) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    quota       INTEGER CHECK (quota >= 0),
    cutoff      INTEGER,                    -- lowest admitted points; NULL: not yet known
    example     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (school, year)
) WITHOUT ROWID;

CREATE TABLE min_wages (
    area            TEXT NOT NULL,          -- districts.wage_area
    effective_from  TEXT NOT NULL,
    monthly_fen     INTEGER NOT NULL CHECK (monthly_fen > 0),
    hourly_fen      INTEGER NOT NULL CHECK (hourly_fen > 0),
    source          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (area, effective_from)
) WITHOUT ROWID;

CREATE TABLE wage_guidelines (
    year        INTEGER PRIMARY KEY,
    base_bp     INTEGER NOT NULL,           -- 基准线
    upper_bp    INTEGER NOT NULL,           -- 上线
    lower_bp    INTEGER NOT NULL,           -- 下线 (0 or negative growth allowed)
    source      TEXT NOT NULL DEFAULT ''
);

-- Labour-market wage guide prices, monthly, per occupation and year.
CREATE TABLE guide_prices (
    occupation  TEXT NOT NULL REFERENCES occupations(code),
    year        INTEGER NOT NULL,
    low_fen     INTEGER NOT NULL CHECK (low_fen > 0),
    median_fen  INTEGER NOT NULL,
    high_fen    INTEGER NOT NULL,
    example     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (occupation, year),
    CHECK (low_fen <= median_fen AND median_fen <= high_fen)
) WITHOUT ROWID;

-- Training + skill-assessment subsidy per level gained; claim within claim_months.
CREATE TABLE subsidy_standards (
    level           TEXT PRIMARY KEY REFERENCES skill_levels(code),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    claim_months    INTEGER NOT NULL CHECK (claim_months > 0),
    example         INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- The city's shortage list (紧缺职业工种目录); uplift in basis points (30% = 3000).
CREATE TABLE shortage_occupations (
    occupation  TEXT PRIMARY KEY REFERENCES occupations(code),
    uplift_bp   INTEGER NOT NULL CHECK (uplift_bp >= 0),
    listed_from TEXT NOT NULL,
    listed_until TEXT
) WITHOUT ROWID;
