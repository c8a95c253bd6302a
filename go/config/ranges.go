package config

import "time"

// intRange is the accepted range of a numeric field, checked at parse time
// so that nothing overflows on its way to a driver (memory in MB becomes
// bytes, an int64, in the driver's LinuxResources).
type intRange struct {
	min, max int64
	unit     string
}

// The numeric fields of a task file and their ranges.
var (
	// RangeCPU is resources.cpu in MHz (Nomad's unit); 10 THz is far more
	// than any one machine.
	RangeCPU = intRange{0, 10_000_000, " (MHz)"}
	// RangeMemoryMB is resources.memory in MB: up to 16 TiB, so that
	// memory<<20 fits an int64 with room to spare.
	RangeMemoryMB = intRange{0, 16 << 20, " (MB)"}
	// RangeDeviceCount is device.count.
	RangeDeviceCount = intRange{1, 1024, ""}
	// RangeLogFiles is logs.max_files.
	RangeLogFiles = intRange{1, 1000, ""}
	// RangeLogFileMB is logs.max_file_size in MB (up to 1 TiB per file).
	RangeLogFileMB = intRange{1, 1 << 20, " (MB)"}
)

// MaxKillTimeout bounds kill_timeout.
const MaxKillTimeout = 24 * time.Hour
