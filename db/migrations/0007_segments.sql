-- drizzle-kit's output with WITHOUT ROWID added by hand, and an index for a customer's segments.
CREATE TABLE `segment_changes` (
	`segment_id` integer NOT NULL,
	`day` text NOT NULL,
	`person_id` text NOT NULL,
	`change` text NOT NULL,
	PRIMARY KEY(`segment_id`, `day`, `person_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `segment_history` (
	`segment_id` integer NOT NULL,
	`day` text NOT NULL,
	`size` integer NOT NULL,
	`revenue_minor` integer NOT NULL,
	PRIMARY KEY(`segment_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
ALTER TABLE `segments` ADD `kind` text DEFAULT 'rule' NOT NULL;--> statement-breakpoint
ALTER TABLE `segments` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `segments` ADD `created_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `segment_members_person` ON `segment_members` (`person_id`);