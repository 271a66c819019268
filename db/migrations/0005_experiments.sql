-- Hand-written (drizzle-kit writes no WITHOUT ROWID): the experiments table as the experiments
-- capability needs it (the old one was never written to), each person's first exposure, and
-- per-user results imported from other tools.
DROP TABLE `experiments`;--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`hypothesis` text,
	`variants` text NOT NULL,
	`control` text,
	`goal` text NOT NULL,
	`guardrails` text NOT NULL,
	`mde` real NOT NULL,
	`owner` text,
	`channel` text,
	`start_at` integer,
	`end_at` integer,
	`status` text NOT NULL,
	`shipped_variant` text,
	`window_days` integer,
	`cap_percentile` real,
	`settings` text NOT NULL,
	`source` text NOT NULL,
	`verdict` text,
	`verdict_at` integer,
	`snoozed_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `exposures` (
	`experiment_id` text NOT NULL,
	`person_id` text NOT NULL,
	`variant` text NOT NULL,
	`first_at` integer NOT NULL,
	`conflict` integer NOT NULL,
	PRIMARY KEY(`experiment_id`, `person_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `exposures_person` ON `exposures` (`person_id`);--> statement-breakpoint
CREATE INDEX `exposures_variant` ON `exposures` (`experiment_id`,`variant`,`conflict`,`first_at`);--> statement-breakpoint
CREATE TABLE `experiment_rows` (
	`experiment_id` text NOT NULL,
	`user_id` text NOT NULL,
	`variant` text NOT NULL,
	`converted` integer NOT NULL,
	`revenue` real NOT NULL,
	`exposed_at` integer,
	`converted_at` integer,
	PRIMARY KEY(`experiment_id`, `user_id`)
) WITHOUT ROWID;
