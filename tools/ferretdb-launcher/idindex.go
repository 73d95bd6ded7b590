package main

// The `_id` index FerretDB v1.24.2 leaves undone.
//
// FerretDB's SQLite backend looks documents up with
//
//	WHERE _ferretdb_sjson->'$._id' = ?        (internal/backends/sqlite/metadata.IDColumn)
//
// for find/update/delete by `_id`, but the unique index it creates for `_id` is on
// `_ferretdb_sjson->"_id"` (metadata/registry.go indexesCreate). SQLite matches an index
// expression syntactically, so every `_id` lookup is `SCAN <table>`: O(collection) instead of
// O(log n). This file keeps, in every collection table of every database under -dir, a plain
// (non-unique: FerretDB's own index still enforces uniqueness) index on FerretDB's exact query
// expression, created as collections appear:
//
//	CREATE INDEX "<table>_zdec_id" ON "<table>" (_ferretdb_sjson->'$._id')
//
// FerretDB keeps its own index list in the `_ferretdb_collections` table, so it never sees (nor
// lists, nor drops by name) this index; DROP TABLE (drop collection) takes it with it.
//
// How collections are noticed: every database file is polled, on one connection each, for
// `PRAGMA schema_version`, which SQLite bumps whenever any connection changes the schema (a new
// table). Only when it moved are FerretDB's collection tables listed and the missing indexes made.
// A database FerretDB drops is a removed file; the connection to it is closed when that is seen
// (by inode, so a database dropped and created again is reopened).

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses (registered as "sqlite")
)

// idExpr must stay byte-for-byte FerretDB's metadata.IDColumn, or SQLite will not use the index.
const idExpr = `_ferretdb_sjson->'$._id'`

const idIndexSuffix = "_zdec_id"

type watchedDB struct {
	db            *sql.DB
	ino           uint64
	schemaVersion int64
}

type idIndexer struct {
	dir    string
	log    *slog.Logger
	dbs    map[string]*watchedDB
	period time.Duration
}

func newIDIndexer(dir string, log *slog.Logger) *idIndexer {
	return &idIndexer{dir: dir, log: log, dbs: map[string]*watchedDB{}, period: 100 * time.Millisecond}
}

func (x *idIndexer) run(ctx context.Context) {
	t := time.NewTicker(x.period)
	defer t.Stop()
	defer x.closeAll()
	for {
		x.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (x *idIndexer) closeAll() {
	for name, w := range x.dbs {
		_ = w.db.Close()
		delete(x.dbs, name)
	}
}

func inode(path string) (uint64, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, true
	}
	return st.Ino, true
}

// pass looks at every database once.
func (x *idIndexer) pass(ctx context.Context) {
	files, err := filepath.Glob(filepath.Join(x.dir, "*.sqlite"))
	if err != nil {
		return
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[f] = true
		ino, ok := inode(f)
		if !ok {
			continue
		}
		w := x.dbs[f]
		if w != nil && w.ino != ino {
			_ = w.db.Close()
			w = nil
		}
		if w == nil {
			db, err := sql.Open("sqlite", "file:"+f+"?_pragma=busy_timeout(10000)")
			if err != nil {
				continue
			}
			db.SetMaxOpenConns(1)
			w = &watchedDB{db: db, ino: ino, schemaVersion: -1}
			x.dbs[f] = w
		}
		if err := x.check(ctx, w); err != nil && ctx.Err() == nil {
			x.log.Debug("id index: check failed", slog.String("file", f), slog.String("error", err.Error()))
		}
	}
	for f, w := range x.dbs {
		if !seen[f] {
			_ = w.db.Close()
			delete(x.dbs, f)
		}
	}
}

func (x *idIndexer) check(ctx context.Context, w *watchedDB) error {
	var v int64
	if err := w.db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
		return err
	}
	if v == w.schemaVersion {
		return nil
	}
	tables, err := collectionTables(ctx, w.db)
	if err != nil {
		return err // e.g. the database file exists but FerretDB has not made its metadata table yet
	}
	have, err := existingIndexes(ctx, w.db)
	if err != nil {
		return err
	}
	for _, t := range tables {
		name := t + idIndexSuffix
		if have[name] {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, name, t, idExpr)
		if _, err := w.db.ExecContext(ctx, q); err != nil {
			// The table may have been dropped in between; the next schema change retries.
			x.log.Debug("id index: create failed", slog.String("table", t), slog.String("error", err.Error()))
			continue
		}
		x.log.Debug("id index: created", slog.String("table", t))
	}
	// Read the version after our own CREATE INDEX statements, so they do not trigger another pass.
	if err := w.db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
		return err
	}
	w.schemaVersion = v
	return nil
}

func collectionTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx,
		`SELECT c.table_name FROM _ferretdb_collections c
		   JOIN sqlite_master m ON m.type = 'table' AND m.name = c.table_name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		if !strings.ContainsRune(t, 0) {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}

func existingIndexes(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		have[n] = true
	}
	return have, rows.Err()
}
