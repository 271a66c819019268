CREATE TABLE `conversation_threads` (
	`channel_id` text NOT NULL,
	`thread_ts` text NOT NULL,
	`command` text NOT NULL,
	`user_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `thread_ts`)
);
--> statement-breakpoint
CREATE INDEX `conversation_threads_updated` ON `conversation_threads` (`updated_at`);--> statement-breakpoint
CREATE TABLE `slack_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `slack_events_received` ON `slack_events` (`received_at`);