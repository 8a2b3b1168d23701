-- The maturity of a service-bw process (dataset `prozesse`, optional): its level and the model it
-- is measured in (`1.1`: levels 0–4; `2.0`, the Reifegradmodell 2.0 of 2025: levels 0–7),
-- checked by the import. Existing processes have none.
ALTER TABLE processes ADD COLUMN reifegrad TEXT;
ALTER TABLE processes ADD COLUMN reifegrad_modell TEXT;
