-- NSRL RDSv3 lists each file with the package (product) it came in: its package_id, an integer, now
-- has a column rather than a JSON object in `extra` ('{"package_id":829185}', 21 bytes a row of
-- a set that can hold tens of millions). A package_id that is not an integer stays in `extra`, and
-- so do those of rows imported before.
ALTER TABLE hashset_entries ADD COLUMN package_id INTEGER;
