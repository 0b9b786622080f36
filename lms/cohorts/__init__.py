"""Running a cohort: the gradebook, its CSV export, and announcements to a course."""
