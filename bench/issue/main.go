// Command issue measures how fast a running Kontor issues invoices through
// POST /api/kontor/invoices/{id}/issue, next to how fast the same server
// creates records of a plain PocketBase collection (no Kontor hooks), at the
// same concurrency and in the same run, and checks afterwards that every
// series numbered its documents 1..n with no gap and no duplicate.
//
// Run it from the repository root:
//
//	go run ./bench/issue
//
// See bench/README.md for the flags and how to read the report.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// config is what the flags ask for.
type config struct {
	root       string
	bin        string
	url        string
	suEmail    string
	suPassword string
	n          int
	c          int
	warmup     int
	jsonOut    bool
	cpuprofile string
	timeout    time.Duration
}

// targets are the figures the report compares against.
const (
	targetIssuesPerSecond = 1000
	targetRatio           = 0.5
)

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	rep, err := run(ctx, cfg, os.Stderr)
	stop()
	if rep != nil {
		if perr := rep.print(os.Stdout, cfg.jsonOut); perr != nil && err == nil {
			err = perr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("issue", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.root, "root", ".", "module root of Kontor, where the server is built from")
	fs.StringVar(&cfg.bin, "bin", "", "use this Kontor binary instead of building one")
	fs.StringVar(&cfg.url, "url", "", "target an already running server (e.g. http://127.0.0.1:8090) instead of starting one")
	fs.StringVar(&cfg.suEmail, "superuser-email", "", "superuser of the -url server, to create the bench_plain collection")
	fs.StringVar(&cfg.suPassword, "superuser-password", "", "password of -superuser-email")
	fs.IntVar(&cfg.n, "n", 5000, "drafts to issue, and plain records to create in each create phase")
	fs.IntVar(&cfg.c, "c", 100, "concurrent requests (workers) in the timed phases")
	fs.IntVar(&cfg.warmup, "warmup", 500, "untimed plain creates before the timed phases (0: none)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "print the results as JSON")
	fs.StringVar(&cfg.cpuprofile, "cpuprofile", "", "write a CPU profile of the server during the issue phase to this file (builds ./bench/issue/profiled; not with -bin or -url)")
	fs.DurationVar(&cfg.timeout, "timeout", 60*time.Second, "timeout of one request")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if err := cfg.check(fs); err != nil {
		return cfg, err
	}
	if cfg.cpuprofile != "" {
		abs, err := filepath.Abs(cfg.cpuprofile) // the server writes it from its own directory
		if err != nil {
			return cfg, err
		}
		cfg.cpuprofile = abs
	}
	return cfg, nil
}

// check refuses combinations of flags that cannot work.
func (cfg config) check(fs *flag.FlagSet) error {
	var err error
	switch {
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected arguments %q", fs.Args())
	case cfg.n < 1 || cfg.c < 1 || cfg.warmup < 0:
		err = errors.New("-n and -c must be at least 1, -warmup at least 0")
	case cfg.url != "" && (cfg.suEmail == "" || cfg.suPassword == ""):
		err = errors.New("-url needs -superuser-email and -superuser-password")
	case cfg.cpuprofile != "" && (cfg.url != "" || cfg.bin != ""):
		err = errors.New("-cpuprofile builds its own server; it does not go with -url or -bin")
	}
	if err != nil {
		fmt.Fprintln(fs.Output(), err)
		fs.Usage()
	}
	return err
}

// run starts (or reaches) the server, sets up the data, runs the phases and
// verifies the numbering. The report is returned even when the verification
// fails, with the failure as the error.
func run(ctx context.Context, cfg config, log io.Writer) (*report, error) {
	tmp, err := os.MkdirTemp("", "kontor-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	base, cpu := cfg.url, cpuMeter(nil)
	if base == "" {
		srv, err := startServer(ctx, cfg, tmp, log)
		if err != nil {
			return nil, err
		}
		defer srv.stop(log)
		base, cpu = srv.url, srv.cpu
		cfg.suEmail, cfg.suPassword = srv.suEmail, srv.suPassword
	}
	if cpu == nil {
		cpu = selfOnly
	}

	a := newAPI(base, cfg.c, cfg.timeout)
	start := time.Now()
	env, err := setup(ctx, a, cfg)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	fmt.Fprintf(log, "setup: 2 workspaces, 4 series, %d drafts in %.1fs\n", cfg.n, time.Since(start).Seconds())

	rep := &report{Server: base, N: cfg.n, Concurrency: cfg.c, CPUs: numCPU()}
	if err := measure(ctx, a, cfg, env, cpu, rep, log); err != nil {
		return nil, err
	}
	rep.Numbering, err = verify(ctx, a, env)
	if err == nil && rep.errors() > 0 {
		err = fmt.Errorf("%d requests failed", rep.errors())
	}
	return rep, err
}

// measure runs the warm-up and the timed phases: create, issue, create,
// waiting after the issue phase for the PDFs still being rendered.
// Creating before and after issuing shows whether the growing database
// changes the plain figure; their mean is what the issue figure is set against.
func measure(ctx context.Context, a *api, cfg config, env *env, cpu cpuMeter, rep *report, log io.Writer) error {
	if cfg.warmup > 0 {
		fmt.Fprintf(log, "warm-up: %d plain creates, untimed\n", cfg.warmup)
		runPhase(ctx, "warm-up", cfg.warmup, cfg.c, env.createPlain(a), cpu)
	}
	phases := []struct {
		name string
		op   func(context.Context, int) error
		prof bool
	}{
		{"create#1", env.createPlain(a), false},
		{"issue", env.issue(a), true},
		{"create#2", env.createPlain(a), false},
	}
	for _, p := range phases {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.prof && cfg.cpuprofile != "" {
			if err := a.profile(ctx, "start", cfg.cpuprofile); err != nil {
				return err
			}
		}
		r := runPhase(ctx, p.name, cfg.n, cfg.c, p.op, cpu)
		if p.prof && cfg.cpuprofile != "" {
			if err := a.profile(ctx, "stop", cfg.cpuprofile); err != nil {
				return err
			}
			fmt.Fprintf(log, "server CPU profile of the issue phase: %s (go tool pprof -top %[1]s)\n", cfg.cpuprofile)
		}
		fmt.Fprintf(log, "%s: %d requests in %.2fs, %d errors\n", p.name, r.Requests, r.Seconds, r.Errors)
		rep.Phases = append(rep.Phases, r)
		if p.name == "issue" && r.Errors == 0 {
			// the next phase starts once the PDFs rendered in the
			// background are stored, so that it is not slowed by them
			w, err := waitForPDFs(ctx, a, env, cfg.n, 5*time.Minute)
			if err != nil {
				return err
			}
			rep.PDFs = &w
		}
	}
	return nil
}
