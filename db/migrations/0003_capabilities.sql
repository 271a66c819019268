CREATE TABLE `answers` (
	`id` text PRIMARY KEY NOT NULL,
	`command` text NOT NULL,
	`user_id` text NOT NULL,
	`channel_id` text,
	`kind` text NOT NULL,
	`report` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `answers_created` ON `answers` (`created_at`);--> statement-breakpoint
ALTER TABLE `job_runs` ADD `attempts` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `job_runs_status` ON `job_runs` (`status`);--> statement-breakpoint
ALTER TABLE `sources` ADD `status` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `sources` ADD `every_minutes` integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE `sources` ADD `next_run_at` integer;--> statement-breakpoint
ALTER TABLE `sources` ADD `failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sources` ADD `last_ok_at` integer;--> statement-breakpoint
ALTER TABLE `sources` ADD `items_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sources` ADD `owner` text;--> statement-breakpoint
CREATE INDEX `sources_due` ON `sources` (`status`,`next_run_at`);