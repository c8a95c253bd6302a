/*
 * A stand-in for libnvidia-ml.so.1 with NVML's C ABI, written for this project from NVIDIA's
 * public NVML API reference (no NVIDIA code). It lets the plugin's dlopen path (symbol lookup,
 * argument passing, buffer sizes, struct layouts as the plugin declares them, handle tables) run
 * on machines without NVIDIA's driver. It cannot prove the layouts match the real library: only
 * the real-hardware check (gpu-check.sh) does that.
 *
 * The simulated machine: GPU 0 ("Shim GPU", plain) and GPU 1 (same model, MIG mode on) with one
 * MIG instance in slot 3. Values are chosen so that every unit conversion is visible:
 * memory 16 GiB / 5 GiB, power limit 250500 mW, draw 61234 mW, clocks 1500/877 MHz, PCIe 4 x16.
 * Calls check nvmlInit_v2 was called, reject unknown handles, and check enum arguments.
 */
#include <stdio.h>
#include <string.h>

typedef struct shim_dev { int id; } shim_dev;
typedef struct { unsigned long long total, free, used; } shim_mem;
typedef struct {
	char busIdLegacy[16];
	unsigned domain, bus, device, pciDeviceId, pciSubSystemId;
	char busId[32];
} shim_pci;
typedef struct { unsigned gpu, memory; } shim_util;

enum { OK = 0, UNINIT = 1, BADARG = 2, NOTSUP = 3, NOTFOUND = 6, SMALL = 7 };
static shim_dev devs[3] = {{0}, {1}, {2}}; /* 2 is the MIG instance of 1 */
static int inited;

static int dev_id(const shim_dev *h) {
	if (!inited) return -UNINIT;
	if (h < devs || h > devs + 2) return -BADARG;
	return h->id;
}
#define DEV(h)                     \
	int id = dev_id(h);        \
	if (id < 0) return -id;
#define GPU_ONLY if (id == 2) return NOTSUP;

int nvmlInit_v2(void) { inited++; return OK; }
int nvmlShutdown(void) { if (!inited) return UNINIT; inited--; return OK; }
int nvmlSystemGetDriverVersion(char *v, unsigned n) {
	if (!inited) return UNINIT;
	if (n < 80) return SMALL; /* NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE */
	snprintf(v, n, "999.12.34");
	return OK;
}
int nvmlSystemGetCudaDriverVersion_v2(int *v) { if (!inited) return UNINIT; *v = 12080; return OK; }
int nvmlDeviceGetCount_v2(unsigned *n) { if (!inited) return UNINIT; *n = 2; return OK; }
int nvmlDeviceGetHandleByIndex_v2(unsigned i, shim_dev **h) {
	if (!inited) return UNINIT;
	if (i > 1) return BADARG;
	*h = &devs[i];
	return OK;
}
int nvmlDeviceGetUUID(shim_dev *h, char *b, unsigned n) {
	DEV(h);
	if (n < 96) return SMALL; /* NVML_DEVICE_UUID_V2_BUFFER_SIZE */
	snprintf(b, n, id == 2 ? "MIG-shim-%d" : "GPU-shim-%d", id);
	return OK;
}
int nvmlDeviceGetName(shim_dev *h, char *b, unsigned n) {
	DEV(h);
	if (n < 96) return SMALL; /* NVML_DEVICE_NAME_V2_BUFFER_SIZE */
	snprintf(b, n, id == 2 ? "Shim GPU MIG 1g.5gb" : "Shim GPU");
	return OK;
}
int nvmlDeviceGetPciInfo_v3(shim_dev *h, shim_pci *p) {
	DEV(h);
	GPU_ONLY;
	memset(p, 0, sizeof *p);
	snprintf(p->busIdLegacy, sizeof p->busIdLegacy, "0000:%02X:00.0", (unsigned char)(id + 0x41));
	p->bus = (unsigned)id + 0x41;
	snprintf(p->busId, sizeof p->busId, "00000000:%02X:00.0", (unsigned char)(id + 0x41));
	return OK;
}
int nvmlDeviceGetMinorNumber(shim_dev *h, unsigned *m) { DEV(h); GPU_ONLY; *m = (unsigned)id + 4; return OK; }
int nvmlDeviceGetMemoryInfo(shim_dev *h, shim_mem *m) {
	DEV(h);
	m->total = (id == 2 ? 5ull : 16ull) << 30;
	m->used = (unsigned long long)(id + 1) << 20;
	m->free = m->total - m->used;
	return OK;
}
int nvmlDeviceGetBAR1MemoryInfo(shim_dev *h, shim_mem *m) {
	DEV(h);
	GPU_ONLY;
	m->total = 256ull << 20;
	m->used = 0;
	m->free = m->total;
	return OK;
}
int nvmlDeviceGetPowerManagementLimit(shim_dev *h, unsigned *mw) { DEV(h); GPU_ONLY; *mw = 250500; return OK; }
int nvmlDeviceGetPowerUsage(shim_dev *h, unsigned *mw) { DEV(h); GPU_ONLY; *mw = 61234; return OK; }
int nvmlDeviceGetMaxClockInfo(shim_dev *h, int type, unsigned *c) {
	DEV(h);
	GPU_ONLY;
	if (type == 0) { *c = 1500; return OK; } /* NVML_CLOCK_GRAPHICS */
	if (type == 2) { *c = 877; return OK; }  /* NVML_CLOCK_MEM */
	return BADARG;
}
int nvmlDeviceGetMaxPcieLinkGeneration(shim_dev *h, unsigned *g) { DEV(h); GPU_ONLY; *g = 4; return OK; }
int nvmlDeviceGetMaxPcieLinkWidth(shim_dev *h, unsigned *w) { DEV(h); GPU_ONLY; *w = 16; return OK; }
int nvmlDeviceGetMigMode(shim_dev *h, unsigned *cur, unsigned *pending) {
	DEV(h);
	GPU_ONLY;
	*cur = *pending = (id == 1); /* NVML_DEVICE_MIG_ENABLE = 1 */
	return OK;
}
int nvmlDeviceGetMaxMigDeviceCount(shim_dev *h, unsigned *n) { DEV(h); GPU_ONLY; *n = id == 1 ? 7 : 0; return OK; }
int nvmlDeviceGetMigDeviceHandleByIndex(shim_dev *h, unsigned i, shim_dev **m) {
	DEV(h);
	if (id != 1) return BADARG;
	if (i != 3) return NOTFOUND;
	*m = &devs[2];
	return OK;
}
int nvmlDeviceGetUtilizationRates(shim_dev *h, shim_util *u) { DEV(h); GPU_ONLY; u->gpu = 55; u->memory = 22; return OK; }
int nvmlDeviceGetTemperature(shim_dev *h, int sensor, unsigned *t) {
	DEV(h);
	GPU_ONLY;
	if (sensor != 0) return BADARG; /* NVML_TEMPERATURE_GPU */
	*t = 47;
	return OK;
}
int nvmlDeviceGetTotalEccErrors(shim_dev *h, int type, int counter, unsigned long long *c) {
	DEV(h);
	GPU_ONLY;
	if (counter != 0) return BADARG; /* NVML_VOLATILE_ECC */
	if (type == 0) { *c = 5; return OK; } /* corrected */
	if (type == 1) { *c = 0; return OK; } /* uncorrected */
	return BADARG;
}
