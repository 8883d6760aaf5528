// Command profiled is Kontor as main.go builds it, plus two routes to start
// and stop a CPU profile of the server, for the -cpuprofile flag of the
// benchmark (bench/issue). It is not meant to run anywhere else.
//
// With KONTOR_BENCH_PROFILING=1, a superuser can call
// POST /api/bench/cpuprofile/start?file=<path> and
// POST /api/bench/cpuprofile/stop.
package main

import (
	"log"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks"
	_ "github.com/kontor-app/kontor/pb_migrations"
)

func main() {
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: hooks.DBConnect, DataMaxIdleConns: hooks.DataMaxIdleConns})
	cfg, err := hooks.ConfigFromEnv(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	hooks.Register(app, cfg)
	if os.Getenv("KONTOR_BENCH_PROFILING") == "1" {
		app.OnServe().BindFunc(profileRoutes)
	}
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// profiler holds the profile being written.
var profiler struct {
	mu   sync.Mutex
	file *os.File
}

// profileRoutes binds the start and stop routes, for superusers only.
func profileRoutes(se *core.ServeEvent) error {
	g := se.Router.Group("/api/bench/cpuprofile")
	g.Bind(apis.RequireSuperuserAuth())
	g.POST("/start", startProfile)
	g.POST("/stop", stopProfile)
	return se.Next()
}

// startProfile starts a CPU profile written to the file of the query.
func startProfile(e *core.RequestEvent) error {
	profiler.mu.Lock()
	defer profiler.mu.Unlock()
	if profiler.file != nil {
		return e.BadRequestError("A profile is already running.", nil)
	}
	f, err := os.Create(e.Request.URL.Query().Get("file"))
	if err != nil {
		return e.BadRequestError(err.Error(), nil)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return e.BadRequestError(err.Error(), nil)
	}
	profiler.file = f
	return e.NoContent(http.StatusNoContent)
}

// stopProfile stops the CPU profile and closes its file.
func stopProfile(e *core.RequestEvent) error {
	profiler.mu.Lock()
	defer profiler.mu.Unlock()
	if profiler.file == nil {
		return e.BadRequestError("No profile is running.", nil)
	}
	pprof.StopCPUProfile()
	err := profiler.file.Close()
	profiler.file = nil
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.NoContent(http.StatusNoContent)
}
