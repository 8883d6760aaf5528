package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// server is a Kontor process the tool started.
type server struct {
	cmd        *exec.Cmd
	url        string
	logPath    string
	suEmail    string
	suPassword string
	exited     chan struct{}
}

// benchSuperuser is the superuser created in a fresh data directory.
const benchSuperuser = "bench@example.com"

// startServer builds Kontor (unless -bin is given), creates a superuser in a
// fresh data directory under tmp, starts the server on a free local port and
// waits until it answers /api/health.
func startServer(ctx context.Context, cfg config, tmp string, log io.Writer) (*server, error) {
	bin, err := serverBinary(ctx, cfg, tmp, log)
	if err != nil {
		return nil, err
	}
	dataDir := filepath.Join(tmp, "pb_data")
	s := &server{suEmail: benchSuperuser, suPassword: randomHex(12), logPath: filepath.Join(tmp, "server.log")}
	out, err := exec.CommandContext(ctx, bin, "superuser", "upsert", s.suEmail, s.suPassword, "--dir", dataDir).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("superuser upsert: %w\n%s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child holds its own descriptor
	// PocketBase turns on dev mode (every SQL statement logged) for a binary
	// under the temp or Go cache directory, taking it for "go run": not here.
	s.cmd = exec.Command(bin, "serve", "--http", addr, "--dir", dataDir, "--dev=false")
	s.cmd.Dir = tmp
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	// the load comes from one address far faster than any client's: the
	// rate limiter, which would refuse most of it, is off
	s.cmd.Env = append(os.Environ(), "KONTOR_RATE_LIMIT=off")
	if cfg.cpuprofile != "" {
		s.cmd.Env = append(s.cmd.Env, "KONTOR_BENCH_PROFILING=1")
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.exited = make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	s.url = "http://" + addr
	if err := s.waitHealthy(ctx, 30*time.Second); err != nil {
		s.stop(log)
		return nil, err
	}
	fmt.Fprintf(log, "server: %s (pid %d, data %s)\n", s.url, s.cmd.Process.Pid, dataDir)
	return s, nil
}

// serverBinary returns -bin, or builds Kontor (or, for -cpuprofile, the
// profiling build in bench/issue/profiled) from the module root into tmp.
func serverBinary(ctx context.Context, cfg config, tmp string, log io.Writer) (string, error) {
	if cfg.bin != "" {
		return filepath.Abs(cfg.bin)
	}
	pkg := "github.com/kontor-app/kontor"
	if cfg.cpuprofile != "" {
		pkg += "/bench/issue/profiled"
	}
	bin := filepath.Join(tmp, "kontor")
	fmt.Fprintf(log, "build: go build -o %s %s (in %s)\n", bin, pkg, cfg.root)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg)
	build.Dir = cfg.root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// waitHealthy polls /api/health until it answers 200.
func (s *server) waitHealthy(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/api/health", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("server exited while starting:\n%s", s.logTail())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server not healthy after %s:\n%s", limit, s.logTail())
		}
	}
}

// stop interrupts the server and kills it if it has not exited in 5 seconds.
func (s *server) stop(log io.Writer) {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		fmt.Fprintln(log, "server: no exit after interrupt; killing it")
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// cpu returns the CPU time used so far by the server and by this tool.
func (s *server) cpu() (srv, tool time.Duration) {
	return processCPU(s.cmd.Process.Pid), selfCPU()
}

// selfOnly is the cpuMeter when the server is not a child: its CPU is unknown.
func selfOnly() (srv, tool time.Duration) {
	return -1, selfCPU()
}

// logTail returns the last lines the server wrote.
func (s *server) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(bytes.TrimSpace(b))
}

// freeAddr returns a local address with a port that is free right now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
