# doctor decodes its own capability sets by name with libcap. Its parts, by concern: the feature
# keywords, their probes (kernel, eBPF, machine set-up), the facts, the lab verdicts, the output,
# the small readers of /proc and /sys they all use; and the LSM list it shares with lsminfo.
PKGS_doctor := libcap
PARTS_doctor := labs/getting-started/doctor-features.c labs/getting-started/doctor-probes.c \
	labs/getting-started/doctor-bpf.c \
	labs/getting-started/doctor-host.c labs/getting-started/doctor-facts.c \
	labs/getting-started/doctor-labs.c labs/getting-started/doctor-output.c \
	labs/getting-started/doctor-read.c labs/lsm/lsmlist.c
# exercise: the learner's tool; its parts hold the catalog and progress, the grader runs and
# watch, the class report. JSON (check --json, report) with jansson.
PKGS_exercise := jansson
PARTS_exercise := labs/getting-started/exercise-catalog.c labs/getting-started/exercise-grade.c \
	labs/getting-started/exercise-report.c
