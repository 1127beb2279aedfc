-- Full-text search over items.search_text (already Persian-normalised by the ingest side),
-- and a publish version that every reader-visible change bumps, so a rendered-feed cache in
-- any process can tell in one primary-key read whether its bytes are still current.
-- Plain SQLite: runs on better-sqlite3 and on D1 (both ship FTS5).

-- External content: the index only, the text stays in items. Rows come back by rowid = items.id.
-- columnsize=0: results are ordered by date, never by bm25, so per-row sizes are not needed.
CREATE VIRTUAL TABLE `items_fts` USING fts5(search_text, content='items', content_rowid='id', columnsize=0, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `items_fts_insert` AFTER INSERT ON `items` BEGIN
  INSERT INTO `items_fts` (rowid, search_text) VALUES (new.id, new.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `items_fts_delete` AFTER DELETE ON `items` BEGIN
  INSERT INTO `items_fts` (`items_fts`, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `items_fts_update` AFTER UPDATE OF `search_text` ON `items` BEGIN
  INSERT INTO `items_fts` (`items_fts`, rowid, search_text) VALUES ('delete', old.id, old.search_text);
  INSERT INTO `items_fts` (rowid, search_text) VALUES (new.id, new.search_text);
END;
--> statement-breakpoint
INSERT INTO `items_fts` (`items_fts`) VALUES ('rebuild');
--> statement-breakpoint
-- The row is created by the first bump, so a fresh database has no settings rows.
CREATE TRIGGER `publish_version_items_insert` AFTER INSERT ON `items` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `publish_version_items_update` AFTER UPDATE ON `items` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `publish_version_items_delete` AFTER DELETE ON `items` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
-- Category links are only inserted together with an items write; they disappear on their own
-- when a category is deleted (cascade), which no items trigger sees.
CREATE TRIGGER `publish_version_item_categories_delete` AFTER DELETE ON `item_categories` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
-- Category names are rendered as labels.
CREATE TRIGGER `publish_version_categories_update` AFTER UPDATE ON `categories` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `publish_version_categories_delete` AFTER DELETE ON `categories` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `publish_version_feeds_insert` AFTER INSERT ON `feeds` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `publish_version_feeds_update` AFTER UPDATE ON `feeds` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `publish_version_feeds_delete` AFTER DELETE ON `feeds` BEGIN
  INSERT INTO `settings` (`key`, `value`) VALUES ('publish_version', '1') ON CONFLICT (`key`) DO UPDATE SET `value` = CAST(`value` AS INTEGER) + 1;
END;
