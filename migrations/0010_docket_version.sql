-- why: a version every command already reads with its docket, bumped with each change to the docket's deadlines, admins, name or workspaces, so replicas may keep those in memory and know when they are stale.
ALTER TABLE dockets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
