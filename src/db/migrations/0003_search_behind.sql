-- The search index is written behind the items instead of inside each write: a new item no
-- longer pays for its FTS5 insert (and the index flush every statement savepoint forced), which
-- was over half of a bulk push. The items repository indexes new rows in batches, oldest key
-- first, moving a watermark: every item with id <= `search_indexed_id` is in `items_search`
-- with its current text, and a search first indexes whatever is above it, so searches never
-- miss an item (src/db/repos/items.ts, indexSearch). ids only grow (AUTOINCREMENT), so the
-- rows above the watermark are exactly the unindexed ones.
--
-- Edits and deletes keep the index exact for indexed rows; for an unindexed row they do
-- nothing, since the indexer will read its text as it is then.
DROP TRIGGER `items_search_insert`;
--> statement-breakpoint
DROP TRIGGER `items_search_update`;
--> statement-breakpoint
DROP TRIGGER `items_search_delete`;
--> statement-breakpoint
INSERT INTO `settings` (`key`, `value`) VALUES ('search_indexed_id', (SELECT coalesce(max(`id`), 0) FROM `items`))
  ON CONFLICT (`key`) DO UPDATE SET `value` = excluded.`value`;
--> statement-breakpoint
CREATE TRIGGER `items_search_update` AFTER UPDATE OF `search_text`, `published_at` ON `items`
  WHEN old.id <= (SELECT CAST(`value` AS INTEGER) FROM `settings` WHERE `key` = 'search_indexed_id')
BEGIN
  INSERT INTO `items_search` (`items_search`, rowid, search_text) VALUES ('delete', (max(0, min(4294967295, old.published_at / 1000)) << 31) | old.id, old.search_text);
  INSERT INTO `items_search` (rowid, search_text) VALUES ((max(0, min(4294967295, new.published_at / 1000)) << 31) | new.id, new.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `items_search_delete` AFTER DELETE ON `items`
  WHEN old.id <= (SELECT CAST(`value` AS INTEGER) FROM `settings` WHERE `key` = 'search_indexed_id')
BEGIN
  INSERT INTO `items_search` (`items_search`, rowid, search_text) VALUES ('delete', (max(0, min(4294967295, old.published_at / 1000)) << 31) | old.id, old.search_text);
END;
--> statement-breakpoint
-- A row trigger bumped the publish version once per inserted item (a tenth of an item's
-- insert); the items repository now bumps it once per write that inserts.
DROP TRIGGER `publish_version_items_insert`;
