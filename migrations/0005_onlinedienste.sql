-- The federal dashboard's open export of the Onlinedienste found in the PVOG (dataset
-- `onlinedienste`): one row per Datenstand, Gebietskörperschaft (12-digit ARS; the Bund is
-- 000000000000), LeiKa service and URL. A delivery is the state at its Datenstand; a service
-- present in one Datenstand and missing from the next of the same ARS has ended then.
CREATE TABLE onlinedienste (
    snapshot_date                      TEXT NOT NULL,
    ars                                TEXT NOT NULL,
    leika_key                          TEXT NOT NULL,
    url                                TEXT NOT NULL,
    leika_name                         TEXT NOT NULL,
    leika_bezeichnung                  TEXT,
    ars_name                           TEXT,
    ozg_id                             TEXT,
    ozg_bezeichnung                    TEXT,
    online_status                      TEXT NOT NULL CHECK (online_status IN ('ok', 'nicht ok')),
    aktiv                              TEXT CHECK (aktiv IN ('ja', 'nein')),
    art_flaechendeckung                TEXT NOT NULL,
    begruendung_nicht_beruecksichtigt  TEXT,
    export_datum                       TEXT,
    PRIMARY KEY (snapshot_date, ars, leika_key, url)
);
CREATE INDEX onlinedienste_ars ON onlinedienste (ars, snapshot_date);
