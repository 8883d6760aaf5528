package render

import (
	"crypto/sha256"
	_ "embed"
	"sync"

	"github.com/kontor-app/kontor/hooks/render/pdf"
)

// The fonts every document is set in: DejaVu Sans, which covers Latin,
// Greek and Cyrillic (fonts/LICENSE). They are embedded in the binary and
// parsed once.
var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte

	fontsOnce sync.Once
	regular   *pdf.Font
	bold      *pdf.Font
	fontsErr  error
)

// loadFonts returns the regular and bold faces.
func loadFonts() (*pdf.Font, *pdf.Font, error) {
	fontsOnce.Do(func() {
		if regular, fontsErr = pdf.ParseFont(regularTTF); fontsErr != nil {
			return
		}
		bold, fontsErr = pdf.ParseFont(boldTTF)
	})
	return regular, bold, fontsErr
}

// logoCache keeps decoded logos by content, since a workspace prints the
// same logo on every document.
var logoCache = struct {
	sync.Mutex
	images map[[32]byte]*pdf.Image
}{images: map[[32]byte]*pdf.Image{}}

const logoCacheSize = 64

// decodeLogo returns the logo as an image to draw.
func decodeLogo(data []byte) (*pdf.Image, error) {
	key := sha256.Sum256(data)
	logoCache.Lock()
	img := logoCache.images[key]
	logoCache.Unlock()
	if img != nil {
		return img, nil
	}
	img, err := pdf.DecodeImage(data)
	if err != nil {
		return nil, err
	}
	logoCache.Lock()
	if len(logoCache.images) >= logoCacheSize {
		for k := range logoCache.images { // drop any one
			delete(logoCache.images, k)
			break
		}
	}
	logoCache.images[key] = img
	logoCache.Unlock()
	return img, nil
}
