#include "mh_private.h"
