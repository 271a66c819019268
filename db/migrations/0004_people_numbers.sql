-- Hand-written (drizzle-kit writes neither WITHOUT ROWID nor the data moves): people get numbers,
-- the per-person tables become WITHOUT ROWID (their primary key is the table: one b-tree to
-- write instead of two), and each day's people can be kept as a set of numbers.
CREATE TABLE `__new_people` (
	`person_id` text PRIMARY KEY NOT NULL,
	`no` integer NOT NULL,
	`channel` text,
	`campaign_id` text,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_people` ("person_id", "no", "channel", "campaign_id", "first_seen", "last_seen")
  SELECT "person_id", row_number() OVER (ORDER BY "first_seen", "person_id"), "channel", "campaign_id", "first_seen", "last_seen"
  FROM `people`;
--> statement-breakpoint
DROP TABLE `people`;--> statement-breakpoint
ALTER TABLE `__new_people` RENAME TO `people`;--> statement-breakpoint
INSERT INTO `meta` ("key", "value") VALUES ('next_person_no', (SELECT coalesce(max("no"), 0) + 1 FROM `people`))
  ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value";
--> statement-breakpoint
CREATE TABLE `__new_identities` (
	`anonymous_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`linked_at` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_identities` SELECT "anonymous_id", "user_id", "linked_at" FROM `identities`;--> statement-breakpoint
DROP TABLE `identities`;--> statement-breakpoint
ALTER TABLE `__new_identities` RENAME TO `identities`;--> statement-breakpoint
CREATE TABLE `__new_daily_people` (
	`day` text NOT NULL,
	`person_no` integer NOT NULL,
	`channel` text NOT NULL,
	`first_at` integer NOT NULL,
	PRIMARY KEY(`day`, `person_no`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_daily_people` ("day", "person_no", "channel", "first_at")
  SELECT d."day", p."no", d."channel", d."first_at" FROM `daily_people` d JOIN `people` p ON p."person_id" = d."person_id"
  ORDER BY 1, 2;
--> statement-breakpoint
DROP TABLE `daily_people`;--> statement-breakpoint
ALTER TABLE `__new_daily_people` RENAME TO `daily_people`;--> statement-breakpoint
CREATE INDEX `daily_people_person` ON `daily_people` (`person_no`);--> statement-breakpoint
CREATE TABLE `day_versions` (
	`day` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `day_versions` ("day", "version") SELECT DISTINCT "day", 1 FROM `daily_people`;--> statement-breakpoint
CREATE TABLE `day_people` (
	`day` text NOT NULL,
	`channel` text NOT NULL,
	`version` integer NOT NULL,
	`people` blob NOT NULL,
	PRIMARY KEY(`day`, `channel`)
) WITHOUT ROWID;
