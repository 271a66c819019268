CREATE TABLE `access_rules` (
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`label` text NOT NULL,
	`role` text,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `subject`)
);
--> statement-breakpoint
ALTER TABLE `audit_log` ADD `surface` text;