package hooks

import (
	"path/filepath"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/secret"
)

// keyFile is where the generated encryption key is kept when
// KONTOR_ENCRYPTION_KEY is not set: in the data directory, which must be
// backed up with it.
const keyFile = "encryption.key"

// secrets returns the box that seals Kontor's secrets: under the key of
// the configuration, else under the key kept in the data directory
// (generated on first start). A key that cannot be read leaves nil: what
// needs sealing then fails, and the log says why.
func secrets(app core.App, key []byte) *secret.Box {
	if key == nil {
		path := filepath.Join(app.DataDir(), keyFile)
		k, created, err := secret.LoadOrCreateKeyFile(path)
		if err != nil {
			app.Logger().Error("secrets: the encryption key cannot be read; set KONTOR_ENCRYPTION_KEY", "error", err)
			return nil
		}
		if created {
			app.Logger().Warn("secrets: KONTOR_ENCRYPTION_KEY is not set; generated a key in the data directory (back it up with the data)", "file", path)
		}
		key = k
	}
	box, err := secret.NewBox(key)
	if err != nil {
		app.Logger().Error("secrets: the encryption key cannot be used", "error", err)
		return nil
	}
	return box
}
