# Type stubs of the nightout package (see __init__.py for the documentation of each function).
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import geopandas
import numpy
import pandas

PathLike = Union[str, os.PathLike]
Layer = Union[geopandas.GeoDataFrame, PathLike]
Progress = Callable[[str, str, int, int], None]
__version__: str

class Error(Exception):
    exit_code: int
class InternalError(Error): ...
class UsageError(Error, ValueError): ...
class InputError(Error): ...
class OutputError(Error): ...

class Network:
    path: str
    profile: str
    nodes: int
    edges: int
    def __init__(self, path: PathLike, profile: str = "drive", *, threads: Optional[int] = None,
                 progress: Optional[Progress] = None) -> None: ...
    @property
    def builds(self) -> int: ...

class Result:
    summary: Dict[str, Any]
    layers: Dict[str, Union[geopandas.GeoDataFrame, pandas.DataFrame]]
    out_dir: Optional[str]
    @property
    def warnings(self) -> List[str]: ...

class CoverageResult(Result):
    @property
    def areas(self) -> geopandas.GeoDataFrame: ...

class TravelResult:
    from_ids: List[str]
    to_ids: List[str]
    distance_m: numpy.ndarray
    duration_s: Optional[numpy.ndarray]
    method: str
    unreachable_pairs: int
    summary: Dict[str, Any]
    def frame(self) -> pandas.DataFrame: ...

class PlanResult:
    out_dir: str
    summary: Dict[str, Any]
    coverage: Dict[str, Any]
    site: Optional[Dict[str, Any]]
    route: Optional[Dict[str, Any]]
    inputs_read: int
    networks_built: int

def coverage(areas: Layer, events: Layer, *, radius: Union[str, Sequence[str], None] = ..., minutes: Union[float, Sequence[float], None] = ...,
             population_field: Optional[str] = ..., stations: Optional[Layer] = ..., population: Optional[Layer] = ...,
             network: Union[None, PathLike, Network] = ..., profile: Optional[str] = ..., out: Optional[PathLike] = ...,
             formats: Sequence[str] = ..., report: bool = ..., areas_id: Optional[str] = ..., areas_name: Optional[str] = ...,
             events_id: Optional[str] = ..., projection_extent: Optional[Sequence[float]] = ..., threads: Optional[int] = ...,
             progress: Optional[Progress] = ..., **options: Any) -> CoverageResult: ...
def travel(origins: Layer, destinations: Layer, *, network: Union[None, PathLike, Network] = ..., profile: Optional[str] = ...,
           max_snap: str = ..., out: Optional[PathLike] = ..., nearest: Optional[PathLike] = ..., routes: Optional[PathLike] = ...,
           threads: Optional[int] = ..., progress: Optional[Progress] = ...) -> TravelResult: ...
def site(demand: Layer, candidates: Union[Layer, Sequence[Layer]], *, required: Union[None, Layer, Sequence[Layer]] = ...,
         population_field: Optional[str] = ..., network: Union[None, PathLike, Network] = ..., profile: Optional[str] = ...,
         out: Optional[PathLike] = ..., formats: Sequence[str] = ..., threads: Optional[int] = ..., progress: Optional[Progress] = ...,
         **options: Any) -> Result: ...
def route(events: Layer, officers: Union[pandas.DataFrame, PathLike], *, stations: Optional[Layer] = ...,
          network: Union[None, PathLike, Network] = ..., profile: Optional[str] = ..., out: Optional[PathLike] = ...,
          threads: Optional[int] = ..., progress: Optional[Progress] = ..., **options: Any) -> Result: ...
def plan(path: PathLike, *, out: Optional[PathLike] = ..., threads: Optional[int] = ..., progress: Optional[Progress] = ...) -> PlanResult: ...
