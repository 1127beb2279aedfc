CREATE TABLE `categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`aliases` text DEFAULT '[]' NOT NULL,
	`description` text,
	`origin` text DEFAULT 'api' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_slug_unique` ON `categories` (`slug`);--> statement-breakpoint
CREATE TABLE `feed_polls` (
	`feed_id` integer NOT NULL,
	`day` text NOT NULL,
	`format` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`feed_id`, `day`, `format`),
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `feed_readers` (
	`feed_id` integer NOT NULL,
	`reader_key` text NOT NULL,
	`name` text NOT NULL,
	`subscribers` integer DEFAULT 1 NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`feed_id`, `reader_key`),
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feed_readers_seen` ON `feed_readers` (`feed_id`,`last_seen_at`);--> statement-breakpoint
CREATE TABLE `feeds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`language` text,
	`filter` text DEFAULT '{}' NOT NULL,
	`item_limit` integer DEFAULT 50 NOT NULL,
	`links` text DEFAULT 'original' NOT NULL,
	`max_age_seconds` integer DEFAULT 300 NOT NULL,
	`origin` text DEFAULT 'api' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feeds_slug_unique` ON `feeds` (`slug`);--> statement-breakpoint
CREATE TABLE `item_categories` (
	`item_id` integer NOT NULL,
	`category_id` integer NOT NULL,
	PRIMARY KEY(`item_id`, `category_id`),
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `item_categories_category` ON `item_categories` (`category_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer,
	`dedup_key` text NOT NULL,
	`guid` text NOT NULL,
	`url` text,
	`title` text NOT NULL,
	`summary` text,
	`content` text,
	`author` text,
	`published_at` integer NOT NULL,
	`updated_at` integer,
	`first_seen_at` integer NOT NULL,
	`changed_at` integer NOT NULL,
	`content_hash` text NOT NULL,
	`labels` text DEFAULT '[]' NOT NULL,
	`enclosures` text DEFAULT '[]' NOT NULL,
	`search_text` text DEFAULT '' NOT NULL,
	`short_code` text,
	`deleted_at` integer,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_dedup_key_unique` ON `items` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `items_published` ON `items` (`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `items_source_published` ON `items` (`source_id`,`published_at`);--> statement-breakpoint
CREATE INDEX `items_changed` ON `items` (`changed_at`);--> statement-breakpoint
CREATE TABLE `link_clicks` (
	`code` text NOT NULL,
	`day` text NOT NULL,
	`referrer_host` text DEFAULT '' NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`code`, `day`, `referrer_host`),
	FOREIGN KEY (`code`) REFERENCES `links`(`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `links` (
	`code` text PRIMARY KEY NOT NULL,
	`num` integer,
	`url` text,
	`item_id` integer,
	`status` integer DEFAULT 302 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `links_num` ON `links` (`num`);--> statement-breakpoint
CREATE INDEX `links_item` ON `links` (`item_id`);--> statement-breakpoint
CREATE TABLE `rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`category_id` integer NOT NULL,
	`field` text NOT NULL,
	`op` text NOT NULL,
	`value` text NOT NULL,
	`origin` text DEFAULT 'api' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `source_categories` (
	`source_id` integer NOT NULL,
	`category_id` integer NOT NULL,
	PRIMARY KEY(`source_id`, `category_id`),
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`kind` text DEFAULT 'feed' NOT NULL,
	`title` text,
	`site_url` text,
	`interval_minutes` integer DEFAULT 60 NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`charset` text,
	`time_zone` text,
	`options` text DEFAULT '{}' NOT NULL,
	`etag` text,
	`last_modified` text,
	`body_hash` text,
	`last_fetched_at` integer,
	`last_success_at` integer,
	`last_unconditional_at` integer,
	`last_status` text,
	`last_error` text,
	`last_error_at` integer,
	`error_count` integer DEFAULT 0 NOT NULL,
	`next_check_at` integer,
	`lease_until` integer,
	`lease_owner` text,
	`origin` text DEFAULT 'api' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_url_unique` ON `sources` (`url`);--> statement-breakpoint
CREATE INDEX `sources_due` ON `sources` (`state`,`next_check_at`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash_unique` ON `tokens` (`hash`);