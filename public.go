package main

import (
	"embed"
	"io/fs"
	"os"
)

// embeddedPublic is the web UI built into the binary, so one file runs Kontor.
//
//go:embed all:pb_public
var embeddedPublic embed.FS

// publicFS returns the web UI: the folder dir when it is set, otherwise the
// copy built into the binary.
func publicFS(dir string) fs.FS {
	if dir != "" {
		return os.DirFS(dir)
	}
	sub, err := fs.Sub(embeddedPublic, "pb_public")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}
