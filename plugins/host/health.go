package host

import (
	"errors"
	"time"
)

// watch pings the running plugins every HealthInterval and restarts those
// that exited or do not answer, until the host closes.
func (h *Host) watch() {
	defer h.done.Done()
	tick := time.NewTicker(h.cfg.HealthInterval)
	defer tick.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-tick.C:
			h.checkAll()
		}
	}
}

// checkAll checks every running plugin once.
func (h *Host) checkAll() {
	h.mu.RLock()
	all := make([]*instance, 0, len(h.plugins))
	for _, in := range h.plugins {
		all = append(all, in)
	}
	h.mu.RUnlock()
	for _, in := range all {
		_, _, gen := in.running()
		if err := h.check(in); err != nil {
			h.log.Error("plugin failed its health check; restarting it", "plugin", in.desc.Name, "error", err.Error())
			in.replace(in.detach(gen))
		}
	}
}

// check pings a running plugin; a plugin that is not running is healthy
// (it starts on its next use).
func (h *Host) check(in *instance) error {
	client, proto, _ := in.running()
	if client == nil {
		return nil
	}
	if client.Exited() {
		return errors.New("the process exited")
	}
	answer := make(chan error, 1)
	go func() { answer <- proto.Ping() }()
	select {
	case err := <-answer:
		return err
	case <-time.After(h.cfg.StartTimeout):
		return errors.New("no answer to a ping within " + h.cfg.StartTimeout.String())
	}
}
