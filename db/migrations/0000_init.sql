CREATE TABLE `campaign_daily` (
	`campaign_id` text NOT NULL,
	`day` text NOT NULL,
	`impressions` integer NOT NULL,
	`clicks` integer NOT NULL,
	`spend_minor` integer NOT NULL,
	`conversions` integer NOT NULL,
	`revenue_minor` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `day`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaign_daily_day` ON `campaign_daily` (`day`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`start_day` text,
	`end_day` text,
	`budget_minor` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `campaigns_channel` ON `campaigns` (`channel`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`traits` text NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customers_first_seen` ON `customers` (`first_seen`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`type` text NOT NULL,
	`event` text,
	`person_id` text NOT NULL,
	`user_id` text,
	`anonymous_id` text,
	`channel` text NOT NULL,
	`properties` text NOT NULL,
	`context` text NOT NULL,
	`timestamp` integer NOT NULL,
	`day` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_message_id` ON `events` (`message_id`);--> statement-breakpoint
CREATE INDEX `events_person_time` ON `events` (`person_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `events_name_time` ON `events` (`event`,`timestamp`,`person_id`);--> statement-breakpoint
CREATE INDEX `events_time` ON `events` (`timestamp`);--> statement-breakpoint
CREATE TABLE `identities` (
	`anonymous_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`linked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `people` (
	`person_id` text PRIMARY KEY NOT NULL,
	`channel` text,
	`campaign_id` text,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `mentions` (
	`id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`platform_id` text NOT NULL,
	`url` text,
	`author` text,
	`text` text NOT NULL,
	`lang` text,
	`timestamp` integer NOT NULL,
	`day` text NOT NULL,
	`sentiment_score` real NOT NULL,
	`sentiment_label` text NOT NULL,
	`source_id` integer,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mentions_platform_id` ON `mentions` (`platform`,`platform_id`);--> statement-breakpoint
CREATE INDEX `mentions_time` ON `mentions` (`timestamp`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY NOT NULL,
	`subscription_id` integer,
	`kind` text NOT NULL,
	`incident_key` text NOT NULL,
	`status` text NOT NULL,
	`opened_at` integer NOT NULL,
	`resolved_at` integer,
	`payload` text NOT NULL,
	FOREIGN KEY (`subscription_id`) REFERENCES `subscriptions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_incident` ON `alerts` (`incident_key`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`detail` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`variants` text NOT NULL,
	`goal_event` text,
	`started_at` integer,
	`ended_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_progress` (
	`fingerprint` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`path` text NOT NULL,
	`rows_committed` integer NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`scheduled_for` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`status` text NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_runs_once` ON `job_runs` (`job`,`scheduled_for`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `segment_members` (
	`segment_id` integer NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`segment_id`, `person_id`),
	FOREIGN KEY (`segment_id`) REFERENCES `segments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `segments` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`computed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segments_name_unique` ON `segments` (`name`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`config` text NOT NULL,
	`cursor` text,
	`schedule` text,
	`last_status` text,
	`last_error` text,
	`last_run_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`owner` text NOT NULL,
	`schedule` text NOT NULL,
	`timezone` text NOT NULL,
	`options` text NOT NULL,
	`next_run_at` integer,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subscriptions_due` ON `subscriptions` (`active`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `write_keys` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `write_keys_key_hash_unique` ON `write_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text,
	`amount_minor` integer NOT NULL,
	`original_amount_minor` integer NOT NULL,
	`original_currency` text NOT NULL,
	`timestamp` integer NOT NULL,
	`day` text NOT NULL,
	`channel` text NOT NULL,
	`campaign_id` text,
	`origin` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_day` ON `orders` (`day`);--> statement-breakpoint
CREATE INDEX `orders_customer` ON `orders` (`customer_id`);--> statement-breakpoint
CREATE TABLE `daily_events` (
	`day` text NOT NULL,
	`event_key` text NOT NULL,
	`channel` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `event_key`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `daily_mentions` (
	`day` text NOT NULL,
	`platform` text NOT NULL,
	`label` text NOT NULL,
	`count` integer NOT NULL,
	`score_sum` real NOT NULL,
	PRIMARY KEY(`day`, `platform`, `label`)
);
--> statement-breakpoint
CREATE TABLE `daily_orders` (
	`day` text NOT NULL,
	`channel` text NOT NULL,
	`campaign_id` text NOT NULL,
	`orders` integer NOT NULL,
	`revenue_minor` integer NOT NULL,
	PRIMARY KEY(`day`, `channel`, `campaign_id`)
);
--> statement-breakpoint
CREATE TABLE `daily_people` (
	`day` text NOT NULL,
	`person_id` text NOT NULL,
	`channel` text NOT NULL,
	`first_at` integer NOT NULL,
	PRIMARY KEY(`day`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `daily_people_channel` ON `daily_people` (`day`,`channel`,`person_id`);--> statement-breakpoint
CREATE INDEX `daily_people_person` ON `daily_people` (`person_id`);