-- why: a claim carries a lease so one left by a process that died is taken over the same day, and each part records an attempt whose outcome may be unknown.
ALTER TABLE digest_deliveries ADD COLUMN lease_until text;
ALTER TABLE digest_delivery_parts ADD COLUMN attempted_at text;
-- Claims made before leases existed have no live holder after the upgrade's restart: they count as expired.
UPDATE digest_deliveries SET lease_until = claimed_at WHERE state = 'claimed';
