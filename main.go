// Command kontor runs Kontor: invoicing, proposals and getting paid for EU
// freelancers and small companies, on PocketBase.
package main

import (
	"log"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"github.com/kontor-app/kontor/hooks"
	_ "github.com/kontor-app/kontor/pb_migrations"
	"github.com/kontor-app/kontor/plugins/firstparty"
	"github.com/kontor-app/kontor/plugins/host"
)

func main() {
	// a first-party plugin started by the plugin host: serve it, before
	// PocketBase opens any data directory
	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
		return
	}

	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: hooks.DBConnect, DataMaxIdleConns: hooks.DataMaxIdleConns})

	cfg, err := hooks.ConfigFromEnv(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	cfg.Public = publicFS(cfg.PublicDir)

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		TemplateLang: migratecmd.TemplateLangGo,
		Dir:          "pb_migrations",
		Automigrate:  false,
	})

	hooks.Register(app, cfg)
	app.RootCmd.AddCommand(hooks.EncryptionCommand(app, cfg))

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
