package wire_test

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/gen/pluginpb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
)

// One populated message from every proto file survives marshal and unmarshal.
func TestGeneratedMessagesRoundTrip(t *testing.T) {
	msgs := map[string]proto.Message{
		"base.proto": &basepb.PluginInfoResponse{
			Type: basepb.PluginType_DRIVER, PluginApiVersions: []string{"v0.1.0"}, PluginVersion: "1.2.3", Name: "demo",
		},
		"driver.proto": &driverpb.StartTaskRequest{Task: &driverpb.TaskConfig{
			Id: "t1", MsgpackDriverConfig: []byte{0x80}, Env: map[string]string{"A": "b"}, StdoutPath: "/tmp/out",
		}},
		"task.proto": &driverpb.TaskHandle{
			Version: 1, Config: &driverpb.TaskConfig{Id: "t1"}, State: driverpb.TaskState_RUNNING, DriverState: []byte{1},
		},
		"exec.proto": &driverpb.ExecTaskStreamingRequest{Setup: &driverpb.ExecTaskStreamingRequest_Setup{
			TaskId: "t1", Command: []string{"sh"}, Tty: true,
		}},
		"task_stats.proto": &driverpb.TaskResourceUsage{Cpu: &driverpb.CPUUsage{
			Percent: 12.5, MeasuredFields: []driverpb.CPUUsage_Fields{driverpb.CPUUsage_PERCENT},
		}},
		"device.proto": &devicepb.StatsRequest{CollectionInterval: durationpb.New(time.Second)},
		"hclspec.proto": &hclspecpb.Spec{Block: &hclspecpb.Spec_Attr{Attr: &hclspecpb.Attr{
			Name: "command", Type: "string", Required: true,
		}}},
		"attribute.proto":         &structspb.Attribute{Value: &structspb.Attribute_IntVal{IntVal: 80}, Unit: "GiB"},
		"stats.proto":             &structspb.StatValue{IntNumeratorVal: wrapperspb.Int64(3), Unit: "MiB"},
		"recoverable_error.proto": &structspb.RecoverableError{Recoverable: true},
		"grpc_controller.proto":   &pluginpb.Empty{},
		"grpc_stdio.proto":        &pluginpb.StdioData{Channel: pluginpb.StdioData_STDERR, Data: []byte("hi\n")},
		"grpc_broker.proto":       &pluginpb.ConnInfo{ServiceId: 7, Network: "unix", Address: "/tmp/s", Knock: &pluginpb.ConnInfo_Knock{Ack: true}},
	}
	for file, msg := range msgs {
		t.Run(file, func(t *testing.T) {
			data, err := proto.Marshal(msg)
			if err != nil {
				t.Fatal(err)
			}
			back := msg.ProtoReflect().New().Interface()
			if err := proto.Unmarshal(data, back); err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(msg, back) {
				t.Fatalf("round trip changed the message:\n got %v\nwant %v", back, msg)
			}
			if path := msg.ProtoReflect().Descriptor().ParentFile().Path(); filepath.Base(path) != file {
				t.Fatalf("the sample for %s is declared in %q", file, path)
			}
		})
	}
}

type pluginInfoServer struct {
	basepb.UnimplementedBasePluginServer
}

func (pluginInfoServer) PluginInfo(context.Context, *basepb.PluginInfoRequest) (*basepb.PluginInfoResponse, error) {
	return &basepb.PluginInfoResponse{Type: basepb.PluginType_DEVICE, Name: "smoke", PluginVersion: "0.0.1", PluginApiVersions: []string{"v0.1.0"}}, nil
}

// The generated stubs talk to each other over a real gRPC connection on a unix socket.
func TestGeneratedStubsServeOverUnixSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "plugin.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	basepb.RegisterBasePluginServer(srv, pluginInfoServer{})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := basepb.NewBasePluginClient(conn).PluginInfo(ctx, &basepb.PluginInfoRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetName() != "smoke" || resp.GetType() != basepb.PluginType_DEVICE {
		t.Fatalf("PluginInfo = %v", resp)
	}
	// An RPC the server does not implement answers Unimplemented, as the
	// contracts say optional RPCs may.
	_, err = basepb.NewBasePluginClient(conn).SetConfig(ctx, &basepb.SetConfigRequest{})
	if err == nil {
		t.Fatal("SetConfig on an unimplemented server succeeded")
	}
}
