CREATE TABLE `crm_companies` (
	`provider` text NOT NULL,
	`crm_id` text NOT NULL,
	`name` text,
	`domain` text,
	`industry` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `crm_id`)
);
--> statement-breakpoint
CREATE TABLE `crm_connections` (
	`provider` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`last_pull_at` integer,
	`last_push_at` integer,
	`not_before` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `crm_contacts` (
	`provider` text NOT NULL,
	`crm_id` text NOT NULL,
	`object` text NOT NULL,
	`customer_id` text NOT NULL,
	`created_by_lift` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `crm_id`)
);
--> statement-breakpoint
CREATE INDEX `crm_contacts_customer` ON `crm_contacts` (`provider`,`customer_id`);--> statement-breakpoint
CREATE TABLE `crm_cursors` (
	`provider` text NOT NULL,
	`object` text NOT NULL,
	`cursor` text NOT NULL,
	PRIMARY KEY(`provider`, `object`)
);
--> statement-breakpoint
CREATE TABLE `crm_deals` (
	`provider` text NOT NULL,
	`crm_id` text NOT NULL,
	`name` text,
	`stage` text,
	`won` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`original_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`close_day` text,
	`customer_id` text,
	`channel` text NOT NULL,
	`campaign_id` text,
	`source` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `crm_id`)
);
--> statement-breakpoint
CREATE INDEX `crm_deals_close` ON `crm_deals` (`won`,`close_day`);--> statement-breakpoint
CREATE TABLE `crm_failures` (
	`id` integer PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`at` integer NOT NULL,
	`email` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `crm_failures_at` ON `crm_failures` (`provider`,`at`);--> statement-breakpoint
CREATE TABLE `crm_list_members` (
	`list_id` integer NOT NULL,
	`customer_id` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`list_id`, `customer_id`)
);
--> statement-breakpoint
CREATE TABLE `crm_lists` (
	`id` integer PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`segment` text NOT NULL,
	`name` text NOT NULL,
	`list_id` text NOT NULL,
	`owner` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_sync_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `crm_lists_name` ON `crm_lists` (`provider`,`name`);--> statement-breakpoint
CREATE TABLE `crm_pushed` (
	`provider` text NOT NULL,
	`customer_id` text NOT NULL,
	`crm_id` text NOT NULL,
	`hash` text NOT NULL,
	`pushed_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `customer_id`)
);
