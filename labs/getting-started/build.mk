# doctor decodes its own capability sets by name with libcap.
PKGS_doctor := libcap
# exercise: the learner's tool; its parts hold the catalog and progress, the grader runs and
# watch, the class report. JSON (check --json, report) with jansson.
PKGS_exercise := jansson
PARTS_exercise := labs/getting-started/exercise-catalog.c labs/getting-started/exercise-grade.c \
	labs/getting-started/exercise-report.c
