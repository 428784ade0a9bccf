"""The parser network, its class mapping and its scores."""
import json

import numpy as np
import pytest
import torch

from models.garment_parser.groups import default_groups, groups_from_file
from models.garment_parser.metrics import confusion_add, scores
from models.garment_parser.model import DEFAULT_CONFIG, encoder_load_imagenet, parser_build
from models.garment_parser.predict import class_labels
from models.paths import data_dir


def test_forward_backward_tiny():
    model = parser_build(DEFAULT_CONFIG)
    x = torch.randn(2, 3, 64, 96)
    logits = model(x)
    assert logits.shape == (2, 10, 64, 96)
    torch.nn.functional.cross_entropy(logits, torch.randint(0, 10, (2, 64, 96))).backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad)


def test_imagenet_encoder_weights_load():
    model = parser_build(DEFAULT_CONFIG)
    before = model.encoder.features[0][0].weight.clone()
    encoder_load_imagenet(model)
    assert not torch.equal(before, model.encoder.features[0][0].weight)


def test_every_ccp_label_maps_to_the_class_that_lists_it():
    groups = default_groups()
    raw = json.loads((data_dir() / "ccp" / "groups.json").read_text())
    labels = (data_dir() / "ccp" / "labels.txt").read_text().split()
    assert len(groups.label_to_group) == len(labels) == 59
    for class_id, name in enumerate(groups.names):
        for member in raw["members"][name]:
            assert groups.label_to_group[labels.index(member)] == class_id, member
    assert groups.names[groups.map_labels(np.array([labels.index("jeans")]))[0]] == "bottom"
    assert [groups.names[i] for i in groups.garment_ids] == ["top", "outerwear", "bottom", "dress"]


def test_a_mapping_naming_a_missing_class_is_refused(tmp_path):
    bad = {"groups": ["background"], "garment_groups": [], "label_to_group": [0, 3]}
    (tmp_path / "groups.json").write_text(json.dumps(bad))
    try:
        groups_from_file(tmp_path / "groups.json")
    except ValueError as error:
        assert "class 3" in str(error)
    else:
        raise AssertionError("accepted a mapping to a class that does not exist")


def test_scores_from_a_known_confusion():
    names = ("background", "top", "bottom")
    truth = np.array([0, 0, 1, 1, 2, 2])
    predicted = np.array([0, 1, 1, 1, 2, 0])
    confusion = np.zeros((3, 3), np.int64)
    confusion_add(confusion, truth, predicted)
    result = scores(confusion, names, garment_ids=(1, 2))
    assert result["per_class_iou"] == {"background": round(1 / 3, 4), "top": round(2 / 3, 4), "bottom": 0.5}
    assert result["pixel_accuracy"] == round(4 / 6, 4)
    # Garments {top, bottom}: truth at 2..5, predicted at 1..4 -> 3 shared of 5 in the union.
    assert result["garment_iou"] == 0.6


def test_garment_loss_rewards_the_right_garment_union_and_has_gradients():
    from models.garment_parser.train import garment_loss

    groups = default_groups()
    target = torch.zeros(1, 4, 4, dtype=torch.long)
    target[0, :2] = groups.names.index("top")  # upper half garment, lower half background
    right = torch.full((1, 10, 4, 4), -5.0)
    right[0, groups.names.index("top"), :2] = 5.0
    right[0, 0, 2:] = 5.0
    # Another garment class still counts as garment: the union is what this loss judges.
    other_garment = right.clone()
    other_garment[0, [groups.names.index("top"), groups.names.index("dress")], :2] = torch.tensor([-5.0, 5.0])[:, None, None]
    wrong = right.flip(2).requires_grad_(True)
    assert garment_loss(right, target, groups.garment_ids) < 0.01
    assert garment_loss(other_garment, target, groups.garment_ids) < 0.01
    loss = garment_loss(wrong, target, groups.garment_ids)
    assert loss > 5
    loss.backward()
    assert wrong.grad.abs().sum() > 0


def test_garment_lovasz_term_adds_an_iou_penalty_only_where_the_union_is_wrong():
    from models.garment_parser.train import garment_loss

    groups = default_groups()
    target = torch.zeros(2, 8, 8, dtype=torch.long)
    target[:, :4] = groups.names.index("bottom")
    right = torch.full((2, 10, 8, 8), -5.0)
    right[:, groups.names.index("bottom"), :4] = 5.0
    right[:, 0, 4:] = 5.0
    # One row of the garment is called background: a thin band, as at a bag strap.
    band = right.clone()
    band[:, [groups.names.index("bottom"), 0], 3] = torch.tensor([-5.0, 5.0])[None, :, None]
    band.requires_grad_(True)
    ids = groups.garment_ids
    without = float(garment_loss(right, target, ids))
    assert float(garment_loss(right, target, ids, lovasz_weight=1.0)) == pytest.approx(without, abs=1e-3)
    with_lovasz = garment_loss(band, target, ids, lovasz_weight=1.0)
    assert with_lovasz > garment_loss(band, target, ids) + 0.5
    with_lovasz.backward()
    assert band.grad[:, :, 3].abs().sum() > 0


def test_labels_decide_garment_or_not_first_then_the_class():
    groups = default_groups()
    top, outerwear, background = (groups.names.index(n) for n in ("top", "outerwear", "background"))
    probabilities = torch.zeros(10, 1, 3)
    probabilities[[background, top, outerwear], 0, 0] = torch.tensor([0.4, 0.35, 0.25])  # garments win jointly
    probabilities[[background, top, outerwear], 0, 1] = torch.tensor([0.6, 0.3, 0.1])  # background wins
    probabilities[[background, top, outerwear], 0, 2] = torch.tensor([0.1, 0.3, 0.6])
    labels = class_labels(probabilities, groups.garment_ids)
    assert labels.dtype == torch.uint8 and labels.tolist() == [[top, background, outerwear]]
    assert probabilities.max(0).indices.tolist() == [[background, background, outerwear]]  # where argmax differs
