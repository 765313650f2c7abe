/* plm-structure-scene.h: a protein structure as something to draw (GTK-free): Cα trace per chain,
 * a spline tube, spheres, attention links, a camera with orthographic projection, depth cueing,
 * depth-sorted cairo drawing and picking. The GL view, the cairo fallback, figure export and
 * `plmlens-cli export --view structure` all use it. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <stdint.h>

#include "plm-color-map.h"
#include "plm-structure-map.h"

G_BEGIN_DECLS

/* The tube's radius and a highlighted residue's sphere radius, in Å. */
#define PLM_SCENE_TUBE_RADIUS   0.7f
#define PLM_SCENE_SPHERE_RADIUS 1.9f
/* Consecutive Cα farther apart than this (Å) are not joined: a chain break (a loop missing from
 * the file), so the tube never bridges residues the structure lacks. */
#define PLM_SCENE_BREAK_DISTANCE 4.3f
/* Tube colour of residues that carry no value (other chains, residues not in the sequence). */
#define PLM_SCENE_NEUTRAL_COLOR 0xffbfbfbfu

typedef struct {
  float    ca[3];          /* Å */
  int      chain;          /* index into PlmStructureScene.chains */
  int      seq;            /* sequence (map) the residue belongs to, −1 none */
  int      index;          /* 0-based residue of that sequence, −1 none */
  int      structure_residue;   /* index into PlmStructure.residues */
  char     letter;
  int      number;         /* author residue number */
  char     icode;
  gboolean joined;         /* the tube joins this residue to the previous one */
  uint32_t color;          /* ARGB of the tube here */
  uint32_t sphere;         /* ARGB of its sphere, 0 = none */
  float    value;          /* what the colouring shows (NaN: nothing) */
} PlmSceneResidue;

typedef struct {
  int      a, b;           /* scene residues */
  float    weight;         /* 0 … 1: width and opacity grow with it */
  uint32_t color;
} PlmSceneLink;

typedef struct {
  float rot[9];            /* row-major world → view rotation */
  float zoom;              /* px per Å */
  float pan[2];            /* px, added after projection */
  float center[3];         /* world point drawn at the middle of the viewport (+ pan) */
} PlmCamera;

struct _PlmStructureScene {
  GArray    *residues;     /* PlmSceneResidue, chain by chain in file order */
  GArray    *links;        /* PlmSceneLink */
  GPtrArray *chains;       /* char *: author chain ids of the drawn chains */
  int        n_seqs;
  int       *seq_length;   /* [n_seqs] */
  int      **seq_residue;  /* [n_seqs][length]: scene residue of each sequence residue, −1 */
  float      center[3];    /* of the Cα's bounding sphere (centroid) */
  float      radius;       /* largest Cα distance from center, Å */
  uint32_t   background;   /* what depth cueing fades towards (default white) */
  float      fog;          /* 0 … 1: how far the back fades (default 0.55) */
};
typedef struct _PlmStructureScene PlmStructureScene;

/* A tube sample: a point of the Catmull-Rom spline through consecutive joined Cα. */
typedef struct {
  float    p[3];
  uint32_t color;
  int      residue;        /* the nearest scene residue */
  gboolean start;          /* first sample of a tube piece (not joined to the previous sample) */
} PlmTubeSample;

/* The residues of @chains (NULL-terminated author ids; NULL = every chain with amino acids)
 * of @structure, and @n_maps sequence maps (@maps[k] says which structure residue each residue
 * of sequence k is; NULL entries allowed). A map's chain is drawn even when not in @chains. */
PlmStructureScene *plm_structure_scene_new          (const PlmStructure        *structure,
                                                     const char *const         *chains,
                                                     const PlmStructureMap *const *maps,
                                                     int                        n_maps);
void               plm_structure_scene_free         (PlmStructureScene         *scene);
/* Adds @other's chains, residues (moved by @offset [3], Å), sequences (numbered after @scene's)
 * and links to @scene, e.g. a partner from another file drawn beside a chain. Their
 * structure_residue is −1 (not @scene's structure). */
void               plm_structure_scene_append       (PlmStructureScene         *scene,
                                                     const PlmStructureScene   *other,
                                                     const float               *offset);
/* Scene residue of residue @index of sequence @seq, −1 when not in the structure. */
int                plm_structure_scene_lookup       (const PlmStructureScene   *scene,
                                                     int                        seq,
                                                     int                        index);

/* ---- colourings (each sets every tube colour; spheres and links are kept) ---- */
void               plm_structure_scene_color_uniform (PlmStructureScene        *scene,
                                                      uint32_t                  argb);
/* A distinct colour per chain (plm_structure_scene_chain_color). */
void               plm_structure_scene_color_chains (PlmStructureScene         *scene);
uint32_t           plm_structure_scene_chain_color  (int                        chain);
/* @values [length] of sequence @seq through @map under @scale; others neutral. */
void               plm_structure_scene_color_values (PlmStructureScene         *scene,
                                                     int                        seq,
                                                     const float               *values,
                                                     int                        length,
                                                     PlmColorMap                map,
                                                     const PlmScale            *scale);
void               plm_structure_scene_clear_spheres (PlmStructureScene        *scene);
/* Spheres of colour @argb on residues @residues [n] (0-based) of sequence @seq. */
void               plm_structure_scene_add_spheres  (PlmStructureScene         *scene,
                                                     int                        seq,
                                                     const int                 *residues,
                                                     int                        n,
                                                     uint32_t                   argb);
void               plm_structure_scene_clear_links  (PlmStructureScene         *scene);
/* A link between residue @i of sequence @seq_a and @j of @seq_b (ignored when either is not in
 * the structure). Returns whether it was added. */
gboolean           plm_structure_scene_add_link     (PlmStructureScene         *scene,
                                                     int                        seq_a,
                                                     int                        i,
                                                     int                        seq_b,
                                                     int                        j,
                                                     float                      weight,
                                                     uint32_t                   argb);
/* The @k strongest residue pairs i < j of the attention map @attention [T, T] (with <cls>/<eos>,
 * L = T − 2) of sequence @seq, by (A[i,j] + A[j,i]) / 2, among pairs both in the structure and
 * at least @min_separation apart in sequence, as links whose weight is relative to the
 * strongest; with @threshold > 0, only pairs at least that strong. Returns the count added. */
int                plm_structure_scene_top_links    (PlmStructureScene         *scene,
                                                     int                        seq,
                                                     const float               *attention,
                                                     int                        n_tokens,
                                                     int                        k,
                                                     float                      threshold,
                                                     int                        min_separation,
                                                     uint32_t                   argb);

/* ---- geometry ---- */
/* The tube's samples (@subdivisions per residue step, ≥ 1) into @out (PlmTubeSample). */
void               plm_structure_scene_tube         (const PlmStructureScene   *scene,
                                                     int                        subdivisions,
                                                     GArray                    *out);

/* ---- camera ---- */
/* Identity rotation, centred on the scene, zoomed so it fits @width × @height px. */
void               plm_camera_fit                   (PlmCamera                 *camera,
                                                     const PlmStructureScene   *scene,
                                                     double                     width,
                                                     double                     height);
/* Zooms in, never out, so the scene's Cα as the camera turns them fill @width × @height px (a 4 %
 * margin): an elongated molecule seen from the side fills the width, where plm_camera_fit's
 * zoom leaves room for any rotation. Turning it may then take parts out of view. */
void               plm_camera_fill                  (PlmCamera                 *camera,
                                                     const PlmStructureScene   *scene,
                                                     double                     width,
                                                     double                     height);
/* Turns the camera so the scene's principal axes of its Cα (largest spread first) lie along the
 * view's x, y and z: a long molecule is seen from the side, not end-on. A right-handed rotation. */
void               plm_camera_orient                (PlmCamera                 *camera,
                                                     const PlmStructureScene   *scene);
/* Rotates by @degrees about the view's x, then y, then z axis (applied after the current one). */
void               plm_camera_rotate                (PlmCamera                 *camera,
                                                     double                     x_degrees,
                                                     double                     y_degrees,
                                                     double                     z_degrees);
/* Screen position (px, y down) and depth (Å towards the viewer) of world point @p. */
void               plm_camera_project               (const PlmCamera           *camera,
                                                     double                     width,
                                                     double                     height,
                                                     const float               *p,
                                                     double                    *x,
                                                     double                    *y,
                                                     double                    *z);
/* Depth-cued colour: @argb faded towards the scene's background by @z's place between @z_front
 * and @z_back. */
uint32_t           plm_structure_scene_fade         (const PlmStructureScene   *scene,
                                                     uint32_t                   argb,
                                                     double                     z,
                                                     double                     z_front,
                                                     double                     z_back);

/* ---- drawing and picking ---- */
/* Draws the scene into the rectangle (0, 0, @width, @height) of @cr (user units = px): links,
 * tube pieces and spheres sorted back to front, each depth-cued. Vectors only (no images), so
 * SVG and PDF surfaces get paths. The background is not filled. */
void               plm_structure_scene_draw         (const PlmStructureScene   *scene,
                                                     const PlmCamera           *camera,
                                                     cairo_t                   *cr,
                                                     double                     width,
                                                     double                     height);
/* The front-most scene residue drawn at (@x, @y) (within its sphere, or the tube, or 4 px of
 * its Cα), −1 for none. */
int                plm_structure_scene_pick         (const PlmStructureScene   *scene,
                                                     const PlmCamera           *camera,
                                                     double                     width,
                                                     double                     height,
                                                     double                     x,
                                                     double                     y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmStructureScene, plm_structure_scene_free)

G_END_DECLS
