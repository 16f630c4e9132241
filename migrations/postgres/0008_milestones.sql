-- why: an admin may ask for milestone headlines on chosen days before a deadline, with at most one ping (a role, a user group or here) that Docket itself writes.
ALTER TABLE deadlines ADD COLUMN milestone_days text;
ALTER TABLE deadlines ADD COLUMN milestone_ping text;
