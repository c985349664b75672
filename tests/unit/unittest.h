/* unittest.h: helpers shared by the unit suites. */
#ifndef WQ_UNITTEST_H
#define WQ_UNITTEST_H

/* Removes path and, when it is a directory, everything below it (lstat: links are not followed). */
void remove_tree(const char *path);

#endif
