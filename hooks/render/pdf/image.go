package pdf

import (
	"bytes"
	"compress/flate"
	"errors"
	"image"
	"image/color"
	_ "image/jpeg" // logos come as PNG or JPEG
	_ "image/png"
	"sync"
)

// Image is a raster image to draw. Images are opaque: PDF/A-3 allows soft
// masks, but an opaque image on white needs no transparency group, so
// transparent pixels are composited onto white when the image is made.
type Image struct {
	Width, Height int
	colorSpace    string // DeviceRGB or DeviceGray
	bilevel       bool   // one bit per pixel, 0 black and 1 white
	filter        string // DCTDecode for JPEG data, FlateDecode for raw samples
	data          []byte // JPEG file, or raw 8-bit samples before compression

	packOnce sync.Once
	packed   []byte // the stream data, compressed once for every document
}

// stream returns the image's stream data; an Image may be drawn by many
// documents at once.
func (img *Image) stream() []byte {
	img.packOnce.Do(func() {
		if img.filter == "DCTDecode" {
			img.packed = img.data
			return
		}
		img.packed = compress(img.data, flate.DefaultCompression)
	})
	return img.packed
}

// NewGrayImage returns an 8-bit grey image from its samples, row by row
// (0 black, 255 white).
func NewGrayImage(width, height int, samples []byte) (*Image, error) {
	if width <= 0 || height <= 0 || len(samples) != width*height {
		return nil, errors.New("pdf: grey samples do not match the image size")
	}
	return &Image{Width: width, Height: height, colorSpace: "DeviceGray", filter: "FlateDecode", data: samples}, nil
}

// NewBilevelImage returns a black and white image, one bit per pixel, for
// sharp graphics such as QR codes. samples holds the rows, each padded to
// whole bytes, most significant bit first: 0 is black, 1 white.
func NewBilevelImage(width, height int, samples []byte) (*Image, error) {
	if width <= 0 || height <= 0 || len(samples) != (width+7)/8*height {
		return nil, errors.New("pdf: bilevel samples do not match the image size")
	}
	return &Image{Width: width, Height: height, colorSpace: "DeviceGray", bilevel: true, filter: "FlateDecode", data: samples}, nil
}

func (img *Image) bitsPerComponent() int {
	if img.bilevel {
		return 1
	}
	return 8
}

// DecodeImage reads a PNG or JPEG file. A baseline or progressive JPEG in
// RGB or grey is embedded as it is; anything else (PNG, CMYK JPEG) is
// decoded, flattened onto white and embedded as RGB samples.
func DecodeImage(data []byte) (*Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 40_000_000 {
		return nil, errors.New("pdf: image size out of range")
	}
	if format == "jpeg" {
		switch cfg.ColorModel {
		case color.YCbCrModel:
			return &Image{Width: cfg.Width, Height: cfg.Height, colorSpace: "DeviceRGB", filter: "DCTDecode", data: data}, nil
		case color.GrayModel:
			return &Image{Width: cfg.Width, Height: cfg.Height, colorSpace: "DeviceGray", filter: "DCTDecode", data: data}, nil
		}
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return flatten(img), nil
}

// flatten draws img onto white and returns its RGB samples.
func flatten(img image.Image) *Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	samples := make([]byte, 0, 3*w*h)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA() // premultiplied, 16-bit
			white := 0xFFFF - a
			samples = append(samples, byte((r+white)>>8), byte((g+white)>>8), byte((bl+white)>>8))
		}
	}
	return &Image{Width: w, Height: h, colorSpace: "DeviceRGB", filter: "FlateDecode", data: samples}
}
