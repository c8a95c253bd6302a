package agent

import (
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/internal/convert/driverconv"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
	"google.golang.org/protobuf/proto"
)

// The agent talks to plugins through go/host on the SDK's types; what it
// keeps on disk stays the wire form. A task's handle is stored as the
// serialized TaskHandle message (the state format), converted here only.

// handleBytes is the stored form of a task handle.
func handleBytes(h *driver.TaskHandle) ([]byte, error) {
	return proto.Marshal(driverconv.TaskHandleToProto(h))
}

// handleFromBytes reads a stored handle.
func handleFromBytes(b []byte) (*driver.TaskHandle, error) {
	h := &driverpb.TaskHandle{}
	if err := proto.Unmarshal(b, h); err != nil {
		return nil, err
	}
	return driverconv.TaskHandleFromProto(h), nil
}

// cpuFieldName and memoryFieldName are the wire names of measured fields,
// as the agent's stats API reports them ("PERCENT", "RSS").
func cpuFieldName(f driver.CPUField) string { return driverpb.CPUUsage_Fields(f).String() }

func memoryFieldName(f driver.MemoryField) string { return driverpb.MemoryUsage_Fields(f).String() }
