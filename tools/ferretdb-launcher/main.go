// Command ferretdb-launcher runs FerretDB v1 with its SQLite backend on one
// loopback address. It exists because the upstream cmd/ferretdb binary panics
// without its generated version file; the embeddable package does not. It also creates the
// `_id` expression index FerretDB's SQLite backend leaves undone (idindex.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("dir", "data/ferretdb", "directory for the SQLite databases")
	level := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	synchronous := flag.String("synchronous", "normal",
		"SQLite synchronous mode: normal (WAL: durable across a crash of this process, not of the OS; no fsync per commit) or full (an fsync per commit)")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "exit when standard input closes (the parent process died)")
	flag.Parse()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		fail(err)
	}

	if *synchronous != "normal" && *synchronous != "full" {
		fail(fmt.Errorf("-synchronous must be normal or full, got %q", *synchronous))
	}

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fail(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  "sqlite",
		// FerretDB adds busy_timeout, journal_mode(wal) and auto_vacuum to what is given here.
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		fail(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *watchStdin {
		// A parent that dies without signalling us closes our stdin; do not outlive it.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	// The `_id` index FerretDB leaves undone (idindex.go), kept for every collection as it appears.
	go newIDIndexer(abs, logger).run(ctx)

	fmt.Fprintf(os.Stderr, "ferretdb-launcher: listening on %s (sqlite in %s)\n", *listen, abs)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ferretdb-launcher:", err)
	os.Exit(1)
}
