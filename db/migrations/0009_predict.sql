CREATE TABLE `predict_fits` (
	`kind` text NOT NULL,
	`as_of` text NOT NULL,
	`data` text NOT NULL,
	`fitted_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `as_of`)
);
