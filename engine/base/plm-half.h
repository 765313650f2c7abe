/* plm-half.h: 16-bit floats: IEEE half (checkpoints, the app's attention store) and bfloat16
 * (checkpoints). Round to nearest even; NaN stays NaN, overflow becomes infinity. */
#pragma once

#include <stdint.h>

uint16_t plm_f32_to_f16  (float    f);
float    plm_f16_to_f32  (uint16_t h);
uint16_t plm_f32_to_bf16 (float    f);
float    plm_bf16_to_f32 (uint16_t h);
