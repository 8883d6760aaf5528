//go:build !linux

package main

import "time"

// processCPU is unknown off Linux.
func processCPU(int) time.Duration { return -1 }

// selfCPU is unknown off Linux.
func selfCPU() time.Duration { return -1 }
