# Written by hand: the search index of both engines (catalog/search/).
#
# Both engines index the same words, so the same query finds the same products:
# text is decomposed (NFKD), stripped of combining accents, lower-cased and cut
# into runs of letters and digits.
#
# PostgreSQL: `search_document` (name weighted A, description D) kept by a row
# trigger, GIN-indexed (migration 0002); the catalogue's words with the number
# of published products using each in `catalog_searchword`, kept by statement
# triggers.
#
# SQLite: an FTS5 index (unicode61 tokenizer, accents removed) of the published
# products' name and description, and the same `catalog_searchword` table, both
# kept by row triggers. A one-document FTS5 "scratch" index cuts a product's
# text into words inside the trigger, with FTS5's own tokenizer, so the words
# table holds exactly the index's words.
#
# The SQL is frozen here; catalog/search/ddl.py holds the same statements for
# the post_migrate check that puts SQLite's triggers back after Django rebuilds
# the product table (tests/catalog/test_search_index.py compares the two).

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE catalog_product_fts USING fts5(
        name, description, content='',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3', detail='column')
    """,
    """
    CREATE VIRTUAL TABLE catalog_searchword_scratch USING fts5(
        body, content='', tokenize='unicode61 remove_diacritics 2', detail='none')
    """,
    """
    CREATE VIRTUAL TABLE catalog_searchword_scratch_vocab
        USING fts5vocab(catalog_searchword_scratch, 'row')
    """,
    """
    CREATE TABLE catalog_searchword (
        word TEXT NOT NULL PRIMARY KEY,
        products INTEGER NOT NULL DEFAULT 0)
    """,
    """
    CREATE TRIGGER catalog_product_search_insert AFTER INSERT ON catalog_product
    WHEN NEW.status = 'published'
    BEGIN
        INSERT INTO catalog_product_fts(rowid, name, description)
            VALUES (NEW.id, NEW.name, NEW.description);
        INSERT INTO catalog_searchword_scratch(catalog_searchword_scratch)
            VALUES ('delete-all');
        INSERT INTO catalog_searchword_scratch(rowid, body)
            VALUES (1, NEW.name || ' ' || NEW.description);
        INSERT INTO catalog_searchword(word, products)
            SELECT term, 1 FROM catalog_searchword_scratch_vocab WHERE true
            ON CONFLICT(word) DO UPDATE SET products = products + 1;
    END
    """,
    """
    CREATE TRIGGER catalog_product_search_delete AFTER DELETE ON catalog_product
    WHEN OLD.status = 'published'
    BEGIN
        INSERT INTO catalog_product_fts(catalog_product_fts, rowid, name, description)
            VALUES ('delete', OLD.id, OLD.name, OLD.description);
        INSERT INTO catalog_searchword_scratch(catalog_searchword_scratch)
            VALUES ('delete-all');
        INSERT INTO catalog_searchword_scratch(rowid, body)
            VALUES (1, OLD.name || ' ' || OLD.description);
        UPDATE catalog_searchword SET products = products - 1
            WHERE word IN (SELECT term FROM catalog_searchword_scratch_vocab);
    END
    """,
    """
    CREATE TRIGGER catalog_product_search_update
    AFTER UPDATE OF name, description, status ON catalog_product
    WHEN (OLD.status = 'published' OR NEW.status = 'published')
        AND (OLD.name IS NOT NEW.name OR OLD.description IS NOT NEW.description
             OR OLD.status IS NOT NEW.status)
    BEGIN
        INSERT INTO catalog_product_fts(catalog_product_fts, rowid, name, description)
            SELECT 'delete', OLD.id, OLD.name, OLD.description
            WHERE OLD.status = 'published';
        INSERT INTO catalog_product_fts(rowid, name, description)
            SELECT NEW.id, NEW.name, NEW.description WHERE NEW.status = 'published';
        INSERT INTO catalog_searchword_scratch(catalog_searchword_scratch)
            VALUES ('delete-all');
        INSERT INTO catalog_searchword_scratch(rowid, body)
            SELECT 1, OLD.name || ' ' || OLD.description
            WHERE OLD.status = 'published';
        UPDATE catalog_searchword SET products = products - 1
            WHERE word IN (SELECT term FROM catalog_searchword_scratch_vocab);
        INSERT INTO catalog_searchword_scratch(catalog_searchword_scratch)
            VALUES ('delete-all');
        INSERT INTO catalog_searchword_scratch(rowid, body)
            SELECT 1, NEW.name || ' ' || NEW.description
            WHERE NEW.status = 'published';
        INSERT INTO catalog_searchword(word, products)
            SELECT term, 1 FROM catalog_searchword_scratch_vocab WHERE true
            ON CONFLICT(word) DO UPDATE SET products = products + 1;
    END
    """,
    # The products already there.
    """
    INSERT INTO catalog_product_fts(rowid, name, description)
        SELECT id, name, description FROM catalog_product WHERE status = 'published'
    """,
    """
    INSERT INTO catalog_searchword_scratch(rowid, body)
        SELECT id, name || ' ' || description FROM catalog_product
        WHERE status = 'published'
    """,
    """
    INSERT INTO catalog_searchword(word, products)
        SELECT term, doc FROM catalog_searchword_scratch_vocab
    """,
    """
    INSERT INTO catalog_searchword_scratch(catalog_searchword_scratch)
        VALUES ('delete-all')
    """,
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_product_search_insert",
    "DROP TRIGGER IF EXISTS catalog_product_search_delete",
    "DROP TRIGGER IF EXISTS catalog_product_search_update",
    "DROP TABLE IF EXISTS catalog_searchword",
    "DROP TABLE IF EXISTS catalog_searchword_scratch_vocab",
    "DROP TABLE IF EXISTS catalog_searchword_scratch",
    "DROP TABLE IF EXISTS catalog_product_fts",
]

# The combining marks NFKD splits off accented letters (Python strips the same
# ranges from queries: catalog/search/text.py).
PG_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION catalog_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT regexp_replace(
            lower(regexp_replace(normalize(coalesce(value, ''), NFKD),
                                 '{PG_MARKS}', '', 'g')),
            '[^[:alnum:]]+', ' ', 'g')
    $$
    """,
    """
    CREATE FUNCTION catalog_product_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector('pg_catalog.simple',
                                  catalog_search_text(NEW.name)), 'A')
            || setweight(to_tsvector('pg_catalog.simple',
                                     catalog_search_text(NEW.description)), 'D');
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS catalog_product_search_document ON catalog_product",
    """
    CREATE TRIGGER catalog_product_search_document
        BEFORE INSERT OR UPDATE OF name, description ON catalog_product
        FOR EACH ROW EXECUTE FUNCTION catalog_product_search_document()
    """,
    "UPDATE catalog_product SET name = name",
    """
    CREATE TABLE catalog_searchword (
        word text COLLATE "C" PRIMARY KEY,
        products integer NOT NULL DEFAULT 0)
    """,
    """
    INSERT INTO catalog_searchword (word, products)
        SELECT word, count(*)
        FROM catalog_product, unnest(tsvector_to_array(search_document)) AS word
        WHERE status = 'published'
        GROUP BY word
    """,
    # One upsert per statement, in word order; the advisory lock makes the
    # writers of the vocabulary take turns, so two transactions that add words
    # in different orders over several statements cannot deadlock. Statements
    # that change no published text (stock, sold counts) take no lock.
    """
    CREATE FUNCTION catalog_searchword_count() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NOT EXISTS (SELECT 1 FROM new_rows WHERE status = 'published') THEN
                RETURN NULL;
            END IF;
            PERFORM pg_advisory_xact_lock(7212350001);
            INSERT INTO catalog_searchword AS w (word, products)
                SELECT word, count(*) FROM new_rows,
                    unnest(tsvector_to_array(new_rows.search_document)) AS word
                WHERE new_rows.status = 'published'
                GROUP BY word ORDER BY word
                ON CONFLICT (word) DO UPDATE SET products = w.products + EXCLUDED.products;
        ELSIF TG_OP = 'DELETE' THEN
            IF NOT EXISTS (SELECT 1 FROM old_rows WHERE status = 'published') THEN
                RETURN NULL;
            END IF;
            PERFORM pg_advisory_xact_lock(7212350001);
            UPDATE catalog_searchword AS w SET products = w.products - gone.products
                FROM (SELECT word, count(*) AS products FROM old_rows,
                          unnest(tsvector_to_array(old_rows.search_document)) AS word
                      WHERE old_rows.status = 'published' GROUP BY word) AS gone
                WHERE w.word = gone.word;
        ELSE
            IF NOT EXISTS (
                SELECT 1 FROM new_rows JOIN old_rows USING (id)
                WHERE (new_rows.status = 'published' OR old_rows.status = 'published')
                    AND (new_rows.status IS DISTINCT FROM old_rows.status
                         OR new_rows.search_document
                            IS DISTINCT FROM old_rows.search_document)
            ) THEN
                RETURN NULL;
            END IF;
            PERFORM pg_advisory_xact_lock(7212350001);
            INSERT INTO catalog_searchword AS w (word, products)
                SELECT word, sum(delta) FROM (
                    SELECT word, 1 AS delta FROM new_rows,
                        unnest(tsvector_to_array(new_rows.search_document)) AS word
                    WHERE new_rows.status = 'published'
                    UNION ALL
                    SELECT word, -1 FROM old_rows,
                        unnest(tsvector_to_array(old_rows.search_document)) AS word
                    WHERE old_rows.status = 'published'
                ) AS changes
                GROUP BY word HAVING sum(delta) <> 0 ORDER BY word
                ON CONFLICT (word) DO UPDATE SET products = w.products + EXCLUDED.products;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER catalog_searchword_insert AFTER INSERT ON catalog_product
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchword_count()
    """,
    """
    CREATE TRIGGER catalog_searchword_update AFTER UPDATE ON catalog_product
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchword_count()
    """,
    """
    CREATE TRIGGER catalog_searchword_delete AFTER DELETE ON catalog_product
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchword_count()
    """,
    # Django's flush (tests) empties tables with TRUNCATE, which fires no row
    # or DELETE trigger.
    """
    CREATE FUNCTION catalog_searchword_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_searchword;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER catalog_searchword_truncate AFTER TRUNCATE ON catalog_product
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchword_truncate()
    """,
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_searchword_truncate ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_searchword_delete ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_searchword_update ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_searchword_insert ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_searchword_truncate()",
    "DROP FUNCTION IF EXISTS catalog_searchword_count()",
    "DROP TABLE IF EXISTS catalog_searchword",
    "DROP TRIGGER IF EXISTS catalog_product_search_document ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_product_search_document()",
    "DROP FUNCTION IF EXISTS catalog_search_text(text)",
    # Migration 0002's trigger, as it was.
    """
    CREATE TRIGGER catalog_product_search_document
        BEFORE INSERT OR UPDATE OF name, description ON catalog_product
        FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(
            search_document, 'pg_catalog.simple', name, description)
    """,
    "UPDATE catalog_product SET name = name",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(
            schema_editor.connection.vendor, []
        ):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_stock_movement_time_given_by_services"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
