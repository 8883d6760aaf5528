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
)

func main() {
	app := pocketbase.New()

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

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
