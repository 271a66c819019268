CREATE TABLE `feedback` (
	`answer_id` text NOT NULL,
	`user_id` text NOT NULL,
	`value` text NOT NULL,
	`question` text NOT NULL,
	`command` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`answer_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `feedback_created` ON `feedback` (`created_at`);--> statement-breakpoint
CREATE TABLE `assistant_threads` (
	`channel_id` text NOT NULL,
	`thread_ts` text NOT NULL,
	`context` text NOT NULL,
	`titled` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `thread_ts`)
);
--> statement-breakpoint
CREATE INDEX `assistant_threads_updated` ON `assistant_threads` (`updated_at`);--> statement-breakpoint
ALTER TABLE `answers` ADD `question` text;