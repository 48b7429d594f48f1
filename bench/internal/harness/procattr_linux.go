package harness

import "syscall"

// childProcAttr has the kernel SIGKILL a meshnode if the benchmark dies
// without cleaning up (killed itself, or crashed).
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
