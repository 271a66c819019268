CREATE TABLE `automation_clicks` (
	`send_id` integer NOT NULL,
	`at` integer NOT NULL,
	`url` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `automation_clicks_send` ON `automation_clicks` (`send_id`);--> statement-breakpoint
CREATE TABLE `automation_members` (
	`automation_id` integer NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`automation_id`, `person_id`),
	FOREIGN KEY (`automation_id`) REFERENCES `automations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `automation_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`automation_id` integer NOT NULL,
	`version` integer NOT NULL,
	`person_id` text NOT NULL,
	`occurrence` text NOT NULL,
	`arm` text NOT NULL,
	`state` text NOT NULL,
	`step` integer NOT NULL,
	`due_at` integer NOT NULL,
	`entered_at` integer NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`automation_id`) REFERENCES `automations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `automation_runs_once` ON `automation_runs` (`automation_id`,`occurrence`);--> statement-breakpoint
CREATE INDEX `automation_runs_due` ON `automation_runs` (`state`,`due_at`);--> statement-breakpoint
CREATE INDEX `automation_runs_person` ON `automation_runs` (`person_id`);--> statement-breakpoint
CREATE TABLE `automation_sends` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`automation_id` integer NOT NULL,
	`version` integer NOT NULL,
	`run_id` integer NOT NULL,
	`person_id` text NOT NULL,
	`step` integer NOT NULL,
	`channel` text NOT NULL,
	`marketing` integer NOT NULL,
	`recipient` text NOT NULL,
	`template` text,
	`status` text NOT NULL,
	`reason` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`due_at` integer NOT NULL,
	`claimed_at` integer,
	`sent_at` integer,
	`message_id` text,
	`subject` text,
	`body` text,
	`html` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`automation_id`) REFERENCES `automations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `automation_sends_key_unique` ON `automation_sends` (`key`);--> statement-breakpoint
CREATE INDEX `automation_sends_due` ON `automation_sends` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `automation_sends_person` ON `automation_sends` (`person_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `automation_sends_automation` ON `automation_sends` (`automation_id`,`status`);--> statement-breakpoint
CREATE TABLE `automations` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`owner` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`spec` text NOT NULL,
	`holdout` real DEFAULT 0 NOT NULL,
	`include_current` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`live_since` integer,
	`cursor` text DEFAULT '{}' NOT NULL,
	`paused_sending_at` integer,
	`paused_sending_why` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `automations_name_unique` ON `automations` (`name`);--> statement-breakpoint
CREATE TABLE `email_templates` (
	`name` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`from_address` text,
	`reply_to` text,
	`kind` text DEFAULT 'marketing' NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`hash` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`at` integer NOT NULL
);
