CREATE TABLE `console_feed` (
	`id` integer PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`destination` text NOT NULL,
	`kind` text NOT NULL,
	`report` text NOT NULL,
	`reply_to` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `console_feed_idempotency_key_unique` ON `console_feed` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `console_feed_at` ON `console_feed` (`at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY NOT NULL,
	`idempotency_key` text NOT NULL,
	`destination` text NOT NULL,
	`subscription_id` integer,
	`kind` text NOT NULL,
	`report` text NOT NULL,
	`reply_to` text,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`unclear` integer NOT NULL,
	`last_error` text,
	`sent_ref` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_idempotency_key_unique` ON `deliveries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`status`,`next_attempt_at`);