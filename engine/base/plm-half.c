/* plm-half.c: IEEE half and bfloat16 conversions (see plm-half.h). */
#include "plm-half.h"

float
plm_f16_to_f32 (uint16_t h)
{
  uint32_t sign = (uint32_t) (h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;

  if (exp == 0)
    {
      if (mant == 0)
        bits = sign;
      else
        {
          /* subnormal: renormalise */
          int e = -1;
          do { mant <<= 1; e++; } while ((mant & 0x400) == 0);
          mant &= 0x3ff;
          bits = sign | ((uint32_t) (127 - 15 - e) << 23) | (mant << 13);
        }
    }
  else if (exp == 0x1f)
    bits = sign | 0x7f800000u | (mant << 13);
  else
    bits = sign | ((exp + (127 - 15)) << 23) | (mant << 13);

  union { uint32_t u; float f; } v = { .u = bits };
  return v.f;
}

uint16_t
plm_f32_to_f16 (float f)
{
  union { float f; uint32_t u; } v = { .f = f };
  uint32_t x = v.u;
  uint32_t sign = (x >> 16) & 0x8000;
  int32_t exp = (int32_t) ((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffff;

  if (((x >> 23) & 0xff) == 0xff)
    return (uint16_t) (sign | 0x7c00 | (mant ? 0x200 : 0));
  if (exp >= 0x1f)
    return (uint16_t) (sign | 0x7c00);
  if (exp <= 0)
    {
      if (exp < -10)
        return (uint16_t) sign;
      mant |= 0x800000;
      uint32_t shift = (uint32_t) (14 - exp);
      uint32_t half = mant >> shift;
      uint32_t rem = mant & ((1u << shift) - 1);
      uint32_t mid = 1u << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1)))
        half++;
      return (uint16_t) (sign | half);
    }
  uint32_t h = sign | ((uint32_t) exp << 10) | (mant >> 13);
  uint32_t rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
    h++;   /* may carry into the exponent, which is the correct rounding */
  return (uint16_t) h;
}

float
plm_bf16_to_f32 (uint16_t h)
{
  union { uint32_t u; float f; } v = { .u = (uint32_t) h << 16 };
  return v.f;
}

uint16_t
plm_f32_to_bf16 (float f)
{
  union { float f; uint32_t u; } v = { .f = f };
  if ((v.u & 0x7fffffff) > 0x7f800000)
    return (uint16_t) ((v.u >> 16) | 0x40);   /* quiet NaN */
  uint32_t rounding = 0x7fff + ((v.u >> 16) & 1);
  return (uint16_t) ((v.u + rounding) >> 16);
}
