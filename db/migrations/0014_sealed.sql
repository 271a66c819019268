DROP INDEX `customers_email_lower`;--> statement-breakpoint
ALTER TABLE `customers` ADD `email_index` text;--> statement-breakpoint
CREATE INDEX `customers_email_index` ON `customers` (`email_index`);