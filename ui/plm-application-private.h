/* plm-application-private.h: shared between plm-application.c and its actions. */
#pragma once

#include "plm-application.h"

G_BEGIN_DECLS

void plm_application_actions_init (PlmApplication *self);

G_END_DECLS
