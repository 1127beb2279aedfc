-- The search index keyed by the feed's order instead of insert order, so the newest matches of a
-- word are the first rowids FTS5 reads (ORDER BY rowid DESC stops after a page), whatever the
-- word's frequency; with rowid = items.id every search read and sorted all its matches.
--
-- rowid = (second << 31) | items.id, second = published_at / 1000 clamped to 0 … 2^32 − 1:
-- unique (ids stay below 2^31), and its order is the timeline's order except among items published
-- within the same second, which the page query sorts exactly (src/db/repos/item-filters.ts,
-- SEARCH_KEY and searchPage). Contentless: the text stays in items; deletes pass the old text.
DROP TRIGGER `items_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `items_fts_delete`;
--> statement-breakpoint
DROP TRIGGER `items_fts_update`;
--> statement-breakpoint
DROP TABLE `items_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `items_search` USING fts5(search_text, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
-- The index's terms, so a prefix search can name the few words it stands for: FTS5 builds a
-- prefix's whole match list before returning the first row, one word's list it reads lazily.
CREATE VIRTUAL TABLE `items_search_terms` USING fts5vocab(`items_search`, instance);
--> statement-breakpoint
CREATE TRIGGER `items_search_insert` AFTER INSERT ON `items` BEGIN
  INSERT INTO `items_search` (rowid, search_text) VALUES ((max(0, min(4294967295, new.published_at / 1000)) << 31) | new.id, new.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `items_search_delete` AFTER DELETE ON `items` BEGIN
  INSERT INTO `items_search` (`items_search`, rowid, search_text) VALUES ('delete', (max(0, min(4294967295, old.published_at / 1000)) << 31) | old.id, old.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `items_search_update` AFTER UPDATE OF `search_text`, `published_at` ON `items` BEGIN
  INSERT INTO `items_search` (`items_search`, rowid, search_text) VALUES ('delete', (max(0, min(4294967295, old.published_at / 1000)) << 31) | old.id, old.search_text);
  INSERT INTO `items_search` (rowid, search_text) VALUES ((max(0, min(4294967295, new.published_at / 1000)) << 31) | new.id, new.search_text);
END;
--> statement-breakpoint
INSERT INTO `items_search` (rowid, search_text) SELECT (max(0, min(4294967295, published_at / 1000)) << 31) | id, search_text FROM `items` ORDER BY published_at, id;
