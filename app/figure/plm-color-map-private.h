/* plm-color-map-private.h: the generated tables. */
#pragma once

#include "plm-color-map.h"

extern const uint32_t plm_color_map_data[PLM_N_COLOR_MAPS][256];
